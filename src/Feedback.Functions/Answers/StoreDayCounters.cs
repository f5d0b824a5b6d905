using Azure;
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
    private const int MaxAttempts = 30;

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
    /// Writes <paramref name="first"/> (which must not exist yet) and adds <paramref name="delta"/> to a
    /// counter shard, atomically, with <paramref name="also"/> (an idempotent write in the same partition, such as a
    /// <see cref="JourneyStep"/>). False when <paramref name="first"/> already existed: nothing changed.
    /// </summary>
    public static async Task<bool> AddAndCountAsync(
        TableClient table, TableTransactionAction first, bool rewarded, Touchpoint touchpoint, ScoreCounts delta,
        CancellationToken cancellationToken, TableTransactionAction? also = null)
    {
        var partition = first.Entity.PartitionKey;
        for (var attempt = 1; ; attempt++)
        {
            var rowKey = CounterRowKey(rewarded, touchpoint.ToWire(), Random.Shared.Next(Shards));
            var current = await table.FindAsync<TableEntity>(partition, rowKey, cancellationToken);
            var counter = new TableEntity(partition, rowKey);
            ((current is null ? default : CountsOf(current)) + delta).WriteTo(counter);

            TableTransactionAction count = current is null
                ? new(TableTransactionActionType.Add, counter)
                : new(TableTransactionActionType.UpdateMerge, counter, current.ETag);
            try
            {
                await table.SubmitTransactionAsync(also is null ? [first, count] : [first, count, also], cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status is 409 or 412)
            {
                return false;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 1 && e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another answer counted into this shard first; try again, likely on another shard.
            }
        }
    }
}
