using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Capture;

/// <summary>Reads an answer's status with one point read; pending until ProcessFeedback has stored it.</summary>
public sealed class FeedbackStatusReader(StorageAccount storage)
{
    public static string PartitionKey(string storeId, string id) => storeId + "." + id;

    public async Task<FeedbackStatusView> ReadAsync(string storeId, string id, CancellationToken cancellationToken)
    {
        var row = await storage.Table(TableNames.FeedbackStatus).FindAsync<TableEntity>(PartitionKey(storeId, id), "", cancellationToken);
        if (row?.GetDateTimeOffset("ProcessedAt") is null)
        {
            return new FeedbackStatusView(id, "pending", null);
        }

        var reward = row!.GetString("RewardCode") is { } code
            ? new RewardView(code, row.GetString("RewardTitle") ?? "", row.GetDateTimeOffset("RewardExpiresAt") ?? default)
            : null;
        return new FeedbackStatusView(id, "processed", reward);
    }
}
