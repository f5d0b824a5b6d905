using Azure;
using Feedback.Functions.Capture;
using Feedback.Functions.Scores;
using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Processing;

/// <summary>
/// Raw answers and live counters of one store-day share a partition (<c>{store}.{yyyy-MM-dd}</c>), so
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

    public static string PartitionKey(string storeId, DateOnly day) => $"{storeId}.{day:yyyy-MM-dd}";

    public static DateOnly DayOf(string partitionKey) =>
        DateOnly.ParseExact(partitionKey[(partitionKey.LastIndexOf('.') + 1)..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string AnswerRowKey(string id) => "f." + id;

    /// <summary>All answers of a touchpoint: <c>c.{touchpoint}.{shard}</c>; the rewarded subset: <c>r.{touchpoint}.{shard}</c>.</summary>
    public static string CounterRowKey(bool rewarded, string touchpoint, int shard) => $"{(rewarded ? 'r' : 'c')}.{touchpoint}.{shard}";

    /// <summary>What a <see cref="CounterRowKey"/> names; null for any other row key.</summary>
    public static (bool Rewarded, string Touchpoint)? ParseCounterRowKey(string rowKey)
    {
        var parts = rowKey.Split('.');
        return parts.Length == 3 && parts[0] is "c" or "r" ? (parts[0] == "r", parts[1]) : null;
    }

    /// <summary>The answer rows of a store-day.</summary>
    public static string AnswerRowsFilter(string partition) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"f."} and RowKey lt {"f/"}");

    /// <summary>The counter shards (never the answer rows between them) of a store-day, or of every store-day when partition is null.</summary>
    public static string CounterRowsFilter(string? partition) => partition is null
        ? TableClient.CreateQueryFilter($"(RowKey ge {"c."} and RowKey lt {"c/"}) or (RowKey ge {"r."} and RowKey lt {"r/"})")
        : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and ((RowKey ge {"c."} and RowKey lt {"c/"}) or (RowKey ge {"r."} and RowKey lt {"r/"}))");

    /// <summary>The counts one answer adds.</summary>
    public static CounterEntity Delta(int score, int? csat, int? ces) => new()
    {
        Promoters = score >= 9 ? 1 : 0,
        Passives = score is 7 or 8 ? 1 : 0,
        Detractors = score <= 6 ? 1 : 0,
        Answered = 1,
        CsatTop2 = csat >= 4 ? 1 : 0,
        CsatSum = csat ?? 0,
        CsatCount = csat is null ? 0 : 1,
        CesSum = ces ?? 0,
        CesCount = ces is null ? 0 : 1,
    };

    public static ScoreCounts ToScoreCounts(CounterEntity row) => new()
    {
        Promoters = row.Promoters,
        Passives = row.Passives,
        Detractors = row.Detractors,
        CsatTop2 = row.CsatTop2,
        CsatCount = row.CsatCount,
        CesSum = row.CesSum,
        CesCount = row.CesCount,
    };

    /// <summary>
    /// Writes <paramref name="first"/> (which must not exist yet) and adds <paramref name="delta"/> to a
    /// counter shard, atomically. False when <paramref name="first"/> already existed: nothing changed.
    /// </summary>
    public static async Task<bool> AddAndCountAsync(
        TableClient table, TableTransactionAction first, bool rewarded, string touchpoint, CounterEntity delta,
        CancellationToken cancellationToken)
    {
        var partition = first.Entity.PartitionKey;
        for (var attempt = 1; ; attempt++)
        {
            var rowKey = CounterRowKey(rewarded, touchpoint, Random.Shared.Next(Shards));
            var current = await table.FindAsync<CounterEntity>(partition, rowKey, cancellationToken);
            var counter = new CounterEntity { PartitionKey = partition, RowKey = rowKey };
            counter.Add(current);
            counter.Add(delta);

            TableTransactionAction count = current is null
                ? new(TableTransactionActionType.Add, counter)
                : new(TableTransactionActionType.UpdateMerge, counter, current.ETag);
            try
            {
                await table.SubmitTransactionAsync([first, count], cancellationToken);
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

    public static AnswerEntity AnswerRow(string partitionKey, FeedbackSubmitted m) => new()
    {
        PartitionKey = partitionKey,
        RowKey = AnswerRowKey(m.Id),
        Score = m.Score,
        Csat = m.Csat,
        Ces = m.Ces,
        Touchpoint = m.Touchpoint,
        Source = m.Source,
        DeviceId = m.DeviceId,
        DeviceKind = m.DeviceKind,
        ReceiptId = m.ReceiptId,
        Reasons = m.Reasons.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(m.Reasons),
        Comment = m.Comment,
        Language = m.Language,
        SubmittedAt = m.SubmittedAt,
        ReceivedAt = m.ReceivedAt,
        JourneyId = m.JourneyId,
        StaffId = m.StaffId,
        ContactEmail = m.Contact?.Email,
        ContactPhone = m.Contact?.Phone,
        Rewarded = false,
    };
}
