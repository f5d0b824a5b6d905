using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Answers;

/// <summary>
/// The store-days whose counters changed since the scores were last rolled up. Owns the
/// rollupdirty table: PartitionKey <c>d{shard:00}</c> (a stable hash of the store), RowKey the
/// store-day's key. Marked after each counted answer or reward; read and cleared by the aggregation.
/// </summary>
public static class DirtyStoreDays
{
    public const int Shards = 16;

    public static Task MarkAsync(StorageAccount storage, StoreDay day, CancellationToken cancellationToken) =>
        storage.Table(TableNames.RollupDirty).UpsertEntityAsync(
            new DirtyMarkerEntity { PartitionKey = ShardOf(day.StoreId), RowKey = day.Key, StoreId = day.StoreId }, TableUpdateMode.Replace, cancellationToken);

    public static async Task<List<DirtyMarkerEntity>> ReadAsync(StorageAccount storage, CancellationToken cancellationToken)
    {
        var dirty = new List<DirtyMarkerEntity>();
        var table = storage.Table(TableNames.RollupDirty);
        for (var shard = 0; shard < Shards; shard++)
        {
            await foreach (var row in table.QueryAsync<DirtyMarkerEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {$"d{shard:00}"}"), cancellationToken: cancellationToken))
            {
                dirty.Add(row);
            }
        }

        return dirty;
    }

    /// <summary>Clears what a run has read. The ETag keeps a marker set again during the run: that store-day goes into the next one.</summary>
    public static Task ClearAsync(StorageAccount storage, IEnumerable<DirtyMarkerEntity> dirty, ParallelOptions options) =>
        Parallel.ForEachAsync(dirty, options, async (row, ct) =>
        {
            try
            {
                await storage.Table(TableNames.RollupDirty).DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, ct);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
            }
        });

    // A stable shard: string.GetHashCode is randomized per process.
    private static string ShardOf(string storeId) => $"d{(uint)storeId.Aggregate(17, (h, c) => unchecked((h * 31) + c)) % Shards:00}";
}

/// <summary>A changed store-day in the rollupdirty table (<see cref="DirtyStoreDays"/>).</summary>
public sealed class DirtyMarkerEntity : TableRow
{
    public string? StoreId { get; set; }
}
