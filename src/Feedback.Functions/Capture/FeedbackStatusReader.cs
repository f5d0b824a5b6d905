using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Capture;

/// <summary>
/// Reads an answer's status from its own row, with one point read (the status link names its store-day and stored
/// id): pending until ProcessFeedback has stored it, then processed, with the reward stored with it.
/// </summary>
public sealed class FeedbackStatusReader(StorageAccount storage)
{
    private static readonly string[] Columns = ["RewardCode", "RewardTitle", "RewardExpiresAt"];

    public async Task<FeedbackStatusView> ReadAsync(StoreDay day, string id, CancellationToken cancellationToken)
    {
        var found = await storage.Table(TableNames.Feedback).GetEntityIfExistsAsync<AnswerEntity>(
            day.Key, StoreDayCounters.AnswerRowKey(id), Columns, cancellationToken);
        if (!found.HasValue)
        {
            return new FeedbackStatusView(Ids.ClientAnswerId(id), "pending", null);
        }

        // The reward shows once its code can be looked up and redeemed: the code row is written just after the answer's.
        var row = found.Value!;
        var reward = row.RewardCode is { } code && (await storage.Table(TableNames.RewardCodes).GetEntityIfExistsAsync<TableEntity>(code, "", ["PartitionKey"], cancellationToken)).HasValue
            ? new RewardView(code, row.RewardTitle ?? "", row.RewardExpiresAt ?? default)
            : null;
        return new FeedbackStatusView(Ids.ClientAnswerId(id), "processed", reward);
    }
}
