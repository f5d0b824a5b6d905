using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Answers;

/// <summary>
/// Raw answers and live counters of one store-day share a partition (<see cref="StoreDay.Key"/>), so
/// storing an answer and counting it is one entity group transaction: a redelivered message finds
/// its row and counts nothing. Counters are sharded so concurrent answers rarely contend on an ETag.
/// </summary>
public static class StoreDayCounters
{
    /// <summary>
    /// One instance runs up to 24 ProcessFeedback handlers at once (host.json). With 8 shards a burst
    /// for one store took about 2 attempts per answer; with 32, about 1.3 (bench/README.md, processing).
    /// </summary>
    public const int Shards = 32;

    public static string AnswerRowKey(string id) => "f." + id;

    /// <summary>All answers of a touchpoint: <c>c.{touchpoint}.{shard}</c>; the rewarded subset: <c>r.{touchpoint}.{shard}</c>.</summary>
    public static string CounterRowKey(bool rewarded, string touchpoint, int shard) => $"{(rewarded ? 'r' : 'c')}.{touchpoint}.{shard}";

    /// <summary>What a <see cref="CounterRowKey"/> names; null for any other row key.</summary>
    public static (bool Rewarded, string Touchpoint)? ParseCounterRowKey(string rowKey)
    {
        var parts = rowKey.Split('.');
        return parts.Length == 3 && parts[0] is "c" or "r" ? (parts[0] == "r", parts[1]) : null;
    }

    /// <summary>
    /// A journey's row in a store-day: <c>j.{journey id, base64url}</c>, with <c>Broken</c> once a step scored 0–8.
    /// Written in the transaction of the answer that is its step, as an upsert-merge: idempotent, order-free, no read.
    /// </summary>
    public static TableTransactionAction JourneyStep(StoreDay day, string journeyId, bool satisfied)
    {
        var row = new TableEntity(day.Key, "j." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(journeyId)));
        if (!satisfied)
        {
            row["Broken"] = true;
        }

        return new(TableTransactionActionType.UpsertMerge, row);
    }

    /// <summary>The answer rows of a store-day.</summary>
    public static string AnswerRowsFilter(string partition) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"f."} and RowKey lt {"f/"}");

    /// <summary>The counter shards and journey rows (never the answer rows between them) of a store-day, or of every store-day when partition is null.</summary>
    public static string CounterRowsFilter(string? partition) => partition is null
        ? TableClient.CreateQueryFilter($"(RowKey ge {"c."} and RowKey lt {"c/"}) or (RowKey ge {"j."} and RowKey lt {"j/"}) or (RowKey ge {"r."} and RowKey lt {"r/"})")
        : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and ((RowKey ge {"c."} and RowKey lt {"c/"}) or (RowKey ge {"j."} and RowKey lt {"j/"}) or (RowKey ge {"r."} and RowKey lt {"r/"}))");

    /// <summary>What <see cref="ReadShardsAsync"/> reports a journey row under: it belongs to no one touchpoint.</summary>
    public const string AllTouchpoints = "all";

    /// <summary>The counts a counter shard holds (<see cref="ScoreCounts.WriteTo"/> without a prefix).</summary>
    public static ScoreCounts CountsOf(TableEntity shard) => ScoreCounts.ReadFrom(shard);

    /// <summary>Every counter shard of a store-day, or of every store-day when <paramref name="day"/> is null.</summary>
    public static async IAsyncEnumerable<(StoreDay Day, bool Rewarded, string Touchpoint, ScoreCounts Counts)> ReadShardsAsync(
        TableClient table, StoreDay? day, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var shard in table.QueryAsync<TableEntity>(CounterRowsFilter(day?.Key), cancellationToken: cancellationToken))
        {
            if (ParseCounterRowKey(shard.RowKey) is { } key)
            {
                yield return (StoreDay.Parse(shard.PartitionKey), key.Rewarded, key.Touchpoint, CountsOf(shard));
            }
            else if (shard.RowKey.StartsWith("j.", StringComparison.Ordinal))
            {
                var journey = Breakdown.Of(shard.GetBoolean("Broken") == true ? [BreakdownNames.Journeys, BreakdownNames.JourneysBroken] : [BreakdownNames.Journeys]);
                yield return (StoreDay.Parse(shard.PartitionKey), false, AllTouchpoints, new ScoreCounts { Breakdown = journey });
            }
        }
    }

    /// <summary>
    /// A counter shard of the store-day with <paramref name="delta"/> added to what this instance last saw of it (see
    /// <see cref="StoreDayRows.ReserveOne"/>), reserved until <see cref="StoreDayRows.Release"/>: written with
    /// <see cref="StoreDayRows.WriteAction"/> in the answer's transaction, so storage refuses it if the shard changed.
    /// </summary>
    public static TableEntity NextShard(StoreDayRows rows, string partition, bool rewarded, Touchpoint touchpoint, ScoreCounts delta)
    {
        var keys = Enumerable.Range(0, Shards).Select(i => CounterRowKey(rewarded, touchpoint.ToWire(), i)).ToList();
        var rowKey = rows.ReserveOne(partition, keys)!;
        var shard = rows.Next(partition, rowKey, out var seen);
        ((seen is null ? default : CountsOf(seen)) + delta).WriteTo(shard);
        return shard;
    }
}
