using Feedback.Functions.Storage;
using Azure.Data.Tables;

namespace Feedback.Functions.FollowUp;

/// <summary>A store's own contact deadline, in the followup table (PartitionKey = store id, RowKey "policy").</summary>
public sealed class FollowUpPolicies(StorageAccount storage, FollowUpOptions options)
{
    private const string RowKey = "policy";

    private TableClient Table => storage.Table(TableNames.FollowUp);

    public async Task<TimeSpan> DeadlineAsync(string storeId, CancellationToken cancellationToken) =>
        await Table.FindAsync<TableEntity>(storeId, RowKey, cancellationToken) is { } row && row.GetInt32("DeadlineHours") is { } hours
            ? TimeSpan.FromHours(hours)
            : options.DefaultDeadline;

    public async Task SetDeadlineAsync(string storeId, int hours, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(new TableEntity(storeId, RowKey) { ["DeadlineHours"] = hours }, TableUpdateMode.Replace, cancellationToken);
}
