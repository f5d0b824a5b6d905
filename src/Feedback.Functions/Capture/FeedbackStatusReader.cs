using Feedback.Functions.Storage;

namespace Feedback.Functions.Capture;

/// <summary>
/// Reads an answer's status with one point read; pending until ProcessFeedback has stored it.
/// Owns the key layout of the feedbackstatus table: PartitionKey = <see cref="PartitionKey"/>, RowKey "".
/// </summary>
public sealed class FeedbackStatusReader(StorageAccount storage)
{
    public static string PartitionKey(string storeId, string id) => storeId + "." + id;

    public async Task<FeedbackStatusView> ReadAsync(string storeId, string id, CancellationToken cancellationToken)
    {
        var row = await storage.Table(TableNames.FeedbackStatus).FindAsync<FeedbackStatusEntity>(PartitionKey(storeId, id), "", cancellationToken);
        if (row?.ProcessedAt is null)
        {
            return new FeedbackStatusView(Answers.Ids.ClientAnswerId(id), "pending", null);
        }

        var reward = row.RewardCode is { } code
            ? new RewardView(code, row.RewardTitle ?? "", row.RewardExpiresAt ?? default)
            : null;
        return new FeedbackStatusView(Answers.Ids.ClientAnswerId(id), "processed", reward);
    }
}

/// <summary>
/// A row of the feedbackstatus table. Every column is optional: the processor and the reward issuer
/// each write only their own (add or merge), and a null property is not written.
/// </summary>
public sealed class FeedbackStatusEntity : TableRow
{
    /// <summary>The store-day partition of the feedback table the answer was pinned to on its first delivery.</summary>
    public string? Partition { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public string? RewardCode { get; set; }

    public string? RewardTitle { get; set; }

    public DateTimeOffset? RewardExpiresAt { get; set; }
}
