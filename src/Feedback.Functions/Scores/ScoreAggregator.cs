using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Processing;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;

namespace Feedback.Functions.Scores;

public sealed record AggregationResult(int StoreDays, int Rollups, TimeSpan Elapsed);

/// <summary>
/// Rolls store-day counters up into stored rollups: store, region and chain × day, ISO week and
/// month. An incremental run reads only the store-days marked dirty since the last run, so its cost
/// follows what changed, not how many answers exist. Every rollup is recomputed from its sources
/// (never incremented), so running twice, or on two instances at once, gives the same rollups.
/// </summary>
public sealed class ScoreAggregator(StorageAccount storage, ILogger<ScoreAggregator> logger, TimeProvider clock)
{
    private const int Parallelism = 8;

    /// <summary>The rollups table's partition of bookkeeping rows (last run, rebuild request, retention run).</summary>
    public const string MetaPartition = "meta";
    private const string LastRunRowKey = "lastRun";
    private const string RebuildRowKey = "rebuild";

    private TableClient Rollups => storage.Table(TableNames.Rollups);

    public async Task<AggregationResult> RunAsync(bool rebuild, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var runStarted = clock.GetUtcNow();
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var store in storage.Table(TableNames.Stores).QueryAsync<StoreEntity>(select: ["PartitionKey", "Region"], cancellationToken: cancellationToken))
        {
            regions[store.PartitionKey] = store.Region;
        }

        var dirty = rebuild ? [] : await DirtyStoreDays.ReadAsync(storage, cancellationToken);
        var days = rebuild
            ? await ReadAsync(null, cancellationToken)
            : await ReadCountersAsync(dirty.Select(d => d.Day).Distinct(), cancellationToken);
        days = days.Where(d => regions.ContainsKey(d.Key.StoreId)).ToDictionary();

        // A store-day whose markers were all rolled up at the counts it has now has not changed since.
        var counts = days.ToDictionary(d => d.Key, d => $"{d.Value.Get().Answered}/{d.Value.Get(rewarded: true).Answered}");
        var unchanged = dirty.GroupBy(d => d.Day).Where(g => counts.TryGetValue(g.Key, out var now) && g.All(d => d.Rolled == now)).Select(g => g.Key).ToHashSet();
        days = days.Where(d => !unchanged.Contains(d.Key)).ToDictionary();

        var rollups = rebuild
            ? await WriteAllAsync(days, regions, cancellationToken)
            : await WriteChangedAsync(days, regions, cancellationToken);

        await Rollups.UpsertEntityAsync(
            new LastRunEntity { PartitionKey = MetaPartition, RowKey = LastRunRowKey, At = clock.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
        await DirtyStoreDays.ClearAsync(storage, dirty, runStarted, counts, Options(cancellationToken));
        var result = new AggregationResult(days.Count, rollups, clock.GetElapsedTime(started));
        logger.LogInformation("Scores aggregated ({Mode}): {StoreDays} store-days, {Rollups} rollup rows in {Elapsed}",
            rebuild ? "rebuild" : "incremental", result.StoreDays, result.Rollups, result.Elapsed);
        return result;
    }

    /// <summary>
    /// Incremental: writes the changed store-days, then recomputes each rollup they belong to from
    /// the stored rows beneath it (unchanged days are read back, not assumed).
    /// </summary>
    private async Task<int> WriteChangedAsync(
        Dictionary<StoreDay, RollupRow> days, Dictionary<string, string> regions, CancellationToken cancellationToken)
    {
        // 1. Store-day rows, with copies grouped by region-day and chain-day for the sums above them.
        var writes = new List<ITableEntity>();
        foreach (var ((storeId, day), row) in days)
        {
            var dayKey = Periods.KeyFor(PeriodKind.Day, day);
            writes.Add(row.ToEntity(Scope.Store(storeId), "day." + dayKey));
            writes.Add(row.ToEntity($"regionday.{regions[storeId]}.{dayKey}", storeId));
            writes.Add(row.ToEntity($"chainday.{dayKey}", storeId));
        }

        await UpsertAsync(writes, cancellationToken);
        var rollups = writes.Count;

        // 2. Store weeks and months, region and chain days: sums of the rows just written.
        var storePeriods = days.Keys.SelectMany(k => PeriodsOf(Scope.Store(k.StoreId), k.Day)).Distinct().ToList();
        var sumDays = days.Keys.Select(k => k.Day).Distinct().SelectMany(day => new[] { (Scope.Chain, day, $"chainday.{day:yyyy-MM-dd}") })
            .Concat(days.Keys.Select(k => (Scope.Region(regions[k.StoreId]), k.Day, $"regionday.{regions[k.StoreId]}.{k.Day:yyyy-MM-dd}")))
            .Distinct().ToList();
        var second = new List<ITableEntity>();
        second.AddRange(await SumPeriodsAsync(storePeriods, cancellationToken));
        await Parallel.ForEachAsync(sumDays, Options(cancellationToken), async (item, ct) =>
        {
            var row = await SumAsync(item.Item3, null, null, ct);
            lock (second)
            {
                second.Add(row.ToEntity(item.Item1, "day." + Periods.KeyFor(PeriodKind.Day, item.Item2)));
            }
        });
        await UpsertAsync(second, cancellationToken);
        rollups += second.Count;

        // 3. Region and chain weeks and months, from their days.
        var scopePeriods = sumDays.SelectMany(s => PeriodsOf(s.Item1, s.Item2)).Distinct().ToList();
        var third = await SumPeriodsAsync(scopePeriods, cancellationToken);
        await UpsertAsync(third, cancellationToken);
        return rollups + third.Count;

    }

    /// <summary>Rebuild: every store-day is in memory, so every rollup is summed here and written in transactions.</summary>
    private async Task<int> WriteAllAsync(
        Dictionary<StoreDay, RollupRow> days, Dictionary<string, string> regions, CancellationToken cancellationToken)
    {
        var sums = new Dictionary<(string Partition, string Row), RollupRow>();
        void Add(string partition, string row, RollupRow counts)
        {
            if (!sums.TryGetValue((partition, row), out var sum))
            {
                sums[(partition, row)] = sum = new RollupRow();
            }

            sum.Add(counts);
        }

        foreach (var ((storeId, day), row) in days)
        {
            var dayKey = Periods.KeyFor(PeriodKind.Day, day);
            var region = regions[storeId];
            Add($"regionday.{region}.{dayKey}", storeId, row);
            Add($"chainday.{dayKey}", storeId, row);
            foreach (var scope in new[] { Scope.Store(storeId), Scope.Region(region), Scope.Chain })
            {
                Add(scope, "day." + dayKey, row);
                foreach (var (_, kind, key) in PeriodsOf(scope, day))
                {
                    Add(scope, $"{KindName(kind)}.{key}", row);
                }
            }
        }

        await UpsertAsync(sums.Select(s => s.Value.ToEntity(s.Key.Partition, s.Key.Row)), cancellationToken);
        await DeleteStaleAsync(sums, cancellationToken);
        return sums.Count;
    }

    /// <summary>
    /// Region and chain rows, and their per-day copies, that the rebuild did not write are stale: left by a store that
    /// has moved to another region (or was removed), they would count it twice. Store rows stay: they carry retention marks.
    /// </summary>
    private async Task DeleteStaleAsync(Dictionary<(string Partition, string Row), RollupRow> written, CancellationToken cancellationToken)
    {
        var derived = TableClient.CreateQueryFilter(
            $"(PartitionKey ge {"region"} and PartitionKey lt {"regioo"}) or (PartitionKey ge {Scope.Chain} and PartitionKey lt {"chaio"})");
        var stale = new List<ITableEntity>();
        await foreach (var row in Rollups.QueryAsync<TableEntity>(derived, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (!written.ContainsKey((row.PartitionKey, row.RowKey)))
            {
                stale.Add(row);
            }
        }

        var batches = stale.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100));
        await Parallel.ForEachAsync(batches, Options(cancellationToken), async (batch, ct) =>
            await Rollups.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), ct));
    }

    /// <summary>Asks the next AggregateScores run to rebuild everything (a rebuild can outlast an HTTP request).</summary>
    public Task RequestRebuildAsync(CancellationToken cancellationToken) =>
        Rollups.UpsertEntityAsync(
            new RebuildRequestEntity { PartitionKey = MetaPartition, RowKey = RebuildRowKey, RequestedAt = clock.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Runs the aggregation the timer owes: a rebuild when one was requested (the request cleared once done), otherwise incremental.</summary>
    public async Task<AggregationResult> RunScheduledAsync(CancellationToken cancellationToken)
    {
        var request = await Rollups.FindAsync<RebuildRequestEntity>(MetaPartition, RebuildRowKey, cancellationToken);
        var result = await RunAsync(rebuild: request is not null, cancellationToken);
        if (request is not null)
        {
            try
            {
                await Rollups.DeleteEntityAsync(MetaPartition, RebuildRowKey, request.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Requested again while this rebuild ran: the next run rebuilds once more.
            }
        }

        return result;
    }

    public async Task<DateTimeOffset?> LastRunAsync(CancellationToken cancellationToken) =>
        (await Rollups.FindAsync<LastRunEntity>(MetaPartition, LastRunRowKey, cancellationToken))?.At;

    private static IEnumerable<(string Scope, PeriodKind Kind, string Key)> PeriodsOf(string scope, DateOnly day) =>
        [(scope, PeriodKind.Week, Periods.KeyFor(PeriodKind.Week, day)), (scope, PeriodKind.Month, Periods.KeyFor(PeriodKind.Month, day))];

    private async Task<List<ITableEntity>> SumPeriodsAsync(IEnumerable<(string Scope, PeriodKind Kind, string Key)> periods, CancellationToken cancellationToken)
    {
        var rows = new List<ITableEntity>();
        await Parallel.ForEachAsync(periods, Options(cancellationToken), async (p, ct) =>
        {
            var range = Periods.RangeOf(p.Kind, p.Key);
            var row = await SumAsync(p.Scope, $"day.{range.First:yyyy-MM-dd}", $"day.{range.Last:yyyy-MM-dd}", ct);
            lock (rows)
            {
                rows.Add(row.ToEntity(p.Scope, $"{KindName(p.Kind)}.{p.Key}"));
            }
        });
        return rows;
    }

    /// <summary>Sums the rollup rows of a partition, optionally within a row-key range.</summary>
    internal async Task<RollupRow> SumAsync(string partitionKey, string? fromRowKey, string? toRowKey, CancellationToken cancellationToken)
    {
        var filter = fromRowKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {fromRowKey} and RowKey le {toRowKey}");
        var sum = new RollupRow();
        await foreach (var (_, row) in RollupRow.QueryAsync(Rollups, filter, cancellationToken))
        {
            sum.Add(row);
        }

        return sum;
    }

    private async Task<Dictionary<StoreDay, RollupRow>> ReadCountersAsync(IEnumerable<StoreDay> storeDays, CancellationToken cancellationToken)
    {
        var days = new Dictionary<StoreDay, RollupRow>();
        await Parallel.ForEachAsync(storeDays, Options(cancellationToken), async (day, ct) =>
        {
            var row = await ReadAsync(day, ct);
            lock (days)
            {
                days[day] = row.GetValueOrDefault(day) ?? new RollupRow();
            }
        });
        return days;
    }

    /// <summary>The counter shards of a store-day (or of all of them), summed per store-day.</summary>
    private async Task<Dictionary<StoreDay, RollupRow>> ReadAsync(StoreDay? day, CancellationToken cancellationToken)
    {
        var days = new Dictionary<StoreDay, RollupRow>();
        await foreach (var (shardDay, rewarded, touchpoint, counts) in StoreDayCounters.ReadShardsAsync(storage.Table(TableNames.Feedback), day, cancellationToken))
        {
            if (!days.TryGetValue(shardDay, out var row))
            {
                days[shardDay] = row = new RollupRow();
            }

            row.Add(rewarded, touchpoint, counts);
        }

        return days;
    }

    private async Task UpsertAsync(IEnumerable<ITableEntity> entities, CancellationToken cancellationToken)
    {
        var batches = entities.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100));
        await Parallel.ForEachAsync(batches, Options(cancellationToken), async (batch, ct) =>
            await Rollups.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct));
    }

    private static ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    public static string KindName(PeriodKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>Rollup partition keys: one per store, region and the chain.</summary>
public static class Scope
{
    public const string Chain = "chain";

    public static string Store(string storeId) => "store." + storeId;

    public static string Region(string region) => "region." + region;
}
