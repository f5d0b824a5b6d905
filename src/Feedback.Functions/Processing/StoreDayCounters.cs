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

    public static readonly string[] CountFields =
        ["Promoters", "Passives", "Detractors", "Answered", "CsatTop2", "CsatSum", "CsatCount", "CesSum", "CesCount"];

    public static string PartitionKey(string storeId, DateOnly day) => $"{storeId}.{day:yyyy-MM-dd}";

    public static DateOnly DayOf(string partitionKey) =>
        DateOnly.ParseExact(partitionKey[(partitionKey.LastIndexOf('.') + 1)..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string AnswerRowKey(string id) => "f." + id;

    /// <summary>All answers of a touchpoint: <c>c.{touchpoint}.{shard}</c>; the rewarded subset: <c>r.{touchpoint}.{shard}</c>.</summary>
    public static string CounterRowKey(bool rewarded, string touchpoint, int shard) => $"{(rewarded ? 'r' : 'c')}.{touchpoint}.{shard}";

    /// <summary>The counts one answer adds.</summary>
    public static Dictionary<string, long> Delta(int score, int? csat, int? ces) => new()
    {
        ["Promoters"] = score >= 9 ? 1 : 0,
        ["Passives"] = score is 7 or 8 ? 1 : 0,
        ["Detractors"] = score <= 6 ? 1 : 0,
        ["Answered"] = 1,
        ["CsatTop2"] = csat >= 4 ? 1 : 0,
        ["CsatSum"] = csat ?? 0,
        ["CsatCount"] = csat is null ? 0 : 1,
        ["CesSum"] = ces ?? 0,
        ["CesCount"] = ces is null ? 0 : 1,
    };

    public static ScoreCounts ToScoreCounts(TableEntity row) => new()
    {
        Promoters = row.GetInt64("Promoters") ?? 0,
        Passives = row.GetInt64("Passives") ?? 0,
        Detractors = row.GetInt64("Detractors") ?? 0,
        CsatTop2 = row.GetInt64("CsatTop2") ?? 0,
        CsatCount = row.GetInt64("CsatCount") ?? 0,
        CesSum = row.GetInt64("CesSum") ?? 0,
        CesCount = row.GetInt64("CesCount") ?? 0,
    };

    /// <summary>
    /// Writes <paramref name="first"/> (which must not exist yet) and adds <paramref name="delta"/> to a
    /// counter shard, atomically. False when <paramref name="first"/> already existed: nothing changed.
    /// </summary>
    public static async Task<bool> AddAndCountAsync(
        TableClient table, TableTransactionAction first, bool rewarded, string touchpoint, IReadOnlyDictionary<string, long> delta,
        CancellationToken cancellationToken)
    {
        var partition = first.Entity.PartitionKey;
        for (var attempt = 1; ; attempt++)
        {
            var rowKey = CounterRowKey(rewarded, touchpoint, Random.Shared.Next(Shards));
            var current = await table.FindAsync<TableEntity>(partition, rowKey, cancellationToken);
            var counter = new TableEntity(partition, rowKey);
            foreach (var field in CountFields)
            {
                counter[field] = (current?.GetInt64(field) ?? 0) + delta.GetValueOrDefault(field);
            }

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

    public static TableEntity AnswerRow(string partitionKey, FeedbackSubmitted m) => new(partitionKey, AnswerRowKey(m.Id))
    {
        ["Score"] = m.Score,
        ["Csat"] = m.Csat,
        ["Ces"] = m.Ces,
        ["Touchpoint"] = m.Touchpoint,
        ["Source"] = m.Source,
        ["DeviceId"] = m.DeviceId,
        ["DeviceKind"] = m.DeviceKind,
        ["ReceiptId"] = m.ReceiptId,
        ["Reasons"] = m.Reasons.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(m.Reasons),
        ["Comment"] = m.Comment,
        ["Language"] = m.Language,
        ["SubmittedAt"] = m.SubmittedAt,
        ["ReceivedAt"] = m.ReceivedAt,
        ["JourneyId"] = m.JourneyId,
        ["StaffId"] = m.StaffId,
        ["ContactEmail"] = m.Contact?.Email,
        ["ContactPhone"] = m.Contact?.Phone,
        ["Rewarded"] = false,
    };
}
