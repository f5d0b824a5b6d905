using System.Collections.Concurrent;
using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Answers;

/// <summary>
/// The store-days whose counters changed since the scores were last rolled up. Owns the rollupdirty table:
/// PartitionKey <c>d{shard:00}</c> (a stable hash of the store), RowKey <c>{store-day}.{window}</c>. An instance
/// marks a store-day once per <see cref="Window"/> (<see cref="DirtyMarks"/>), not once per answer, and a
/// marker is cleared only once its window has closed, so an answer counted later in the same window, which
/// wrote no marker of its own, is still rolled up by a later run.
/// </summary>
public static class DirtyStoreDays
{
    public const int Shards = 16;

    /// <summary>As long as the default aggregation schedule's interval (5 minutes).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>How far the clocks of two instances may disagree.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static long WindowOf(DateTimeOffset instant) => instant.UtcTicks / Window.Ticks;

    public static Task MarkAsync(StorageAccount storage, StoreDay day, CancellationToken cancellationToken) =>
        MarkAsync(storage, day, WindowOf(DateTimeOffset.UtcNow), cancellationToken);

    public static Task MarkAsync(StorageAccount storage, StoreDay day, long window, CancellationToken cancellationToken) =>
        storage.Table(TableNames.RollupDirty).UpsertEntityAsync(
            new DirtyMarkerEntity { PartitionKey = ShardOf(day.StoreId), RowKey = $"{day.Key}.{window}", StoreId = day.StoreId },
            TableUpdateMode.Replace, cancellationToken);

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

    /// <summary>
    /// After a run that started at <paramref name="runStarted"/> rolled up what it read: deletes the markers of
    /// windows that had closed by then; a marker of a window still open stays (answers may be counted in it later
    /// without a marker of their own) and records the counts it was rolled up at (<paramref name="rolledAt"/>), so
    /// the next run skips its store-day unless they changed (<see cref="DirtyMarkerEntity.Rolled"/>).
    /// </summary>
    public static Task ClearAsync(
        StorageAccount storage, IEnumerable<DirtyMarkerEntity> dirty, DateTimeOffset runStarted, IReadOnlyDictionary<StoreDay, string> rolledAt, ParallelOptions options) =>
        Parallel.ForEachAsync(dirty, options, async (row, ct) =>
        {
            var table = storage.Table(TableNames.RollupDirty);
            try
            {
                if ((row.Window + 1) * Window.Ticks + ClockSkew.Ticks <= runStarted.UtcTicks)
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, ct);
                }
                else if (rolledAt.TryGetValue(row.Day, out var counts) && counts != row.Rolled)
                {
                    await table.UpdateEntityAsync(new DirtyMarkerEntity { PartitionKey = row.PartitionKey, RowKey = row.RowKey, Rolled = counts }, row.ETag, TableUpdateMode.Merge, ct);
                }
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

    /// <summary>The store-day's counts when a run last rolled it up while this marker's window was open (set by the aggregation).</summary>
    public string? Rolled { get; set; }

    /// <summary>The store-day marked (a marker written before windows has just the store-day as its row key).</summary>
    [IgnoreDataMember]
    public StoreDay Day => StoreDay.Parse(Windowed ? RowKey[..RowKey.LastIndexOf('.')] : RowKey);

    /// <summary>The <see cref="DirtyStoreDays.WindowOf"/> it was marked in (0 for a marker written before windows).</summary>
    [IgnoreDataMember]
    public long Window => Windowed ? long.Parse(RowKey[(RowKey.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture) : 0;

    private bool Windowed => RowKey[(RowKey.LastIndexOf('.') + 1)..] is { Length: > 0 } last && last.All(char.IsAsciiDigit);
}

/// <summary>This instance's dirty marks: a store-day is marked once per <see cref="DirtyStoreDays.Window"/>, not once per answer.</summary>
public sealed class DirtyMarks(StorageAccount storage, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Day, long Window), Lazy<Task>> _marks = new();

    /// <summary>
    /// Called after the answer is counted. Concurrent answers of a store-day share one write; once it succeeded, the
    /// rest of the window writes nothing (the marker stays until the window has closed).
    /// </summary>
    public async Task MarkAsync(StoreDay day, CancellationToken cancellationToken)
    {
        var key = (day.Key, DirtyStoreDays.WindowOf(clock.GetUtcNow()));
        if (_marks.Count > 100_000)
        {
            _marks.Clear();
        }

        var mark = _marks.GetOrAdd(key, k => new Lazy<Task>(() => DirtyStoreDays.MarkAsync(storage, day, k.Window, CancellationToken.None)));
        try
        {
            await mark.Value.WaitAsync(cancellationToken);
        }
        catch when (mark.Value.IsFaulted)
        {
            _marks.TryRemove(new KeyValuePair<(string, long), Lazy<Task>>(key, mark));
            throw;
        }
    }
}
