using Azure.Data.Tables;

namespace Feedback.Functions.Answers;

/// <summary>
/// The counts every score is computed from, and the only counter vocabulary: one answer's counts
/// (<see cref="Of"/>), a counter shard's, a rollup's. Rollups add counts and compute scores
/// afterwards; averaging scores would weigh a 3-answer store like a 300-answer one.
/// </summary>
public readonly record struct ScoreCounts
{
    /// <summary>NPS answers 9–10.</summary>
    public long Promoters { get; init => field = NonNegative(value); }

    /// <summary>NPS answers 7–8.</summary>
    public long Passives { get; init => field = NonNegative(value); }

    /// <summary>NPS answers 0–6.</summary>
    public long Detractors { get; init => field = NonNegative(value); }

    /// <summary>Answers counted, whatever they held.</summary>
    public long Answered { get; init => field = NonNegative(value); }

    /// <summary>CSAT answers in the top two boxes.</summary>
    public long CsatTop2 { get; init => field = NonNegative(value); }

    public long CsatSum { get; init => field = NonNegative(value); }

    public long CsatCount { get; init => field = NonNegative(value); }

    public long CesSum { get; init => field = NonNegative(value); }

    public long CesCount { get; init => field = NonNegative(value); }

    /// <summary>
    /// Answers from a source that is more than a picture of a QR code: a receipt token (one answer per purchase) or an
    /// enrolled device. The rest are open (posters, web links): a flood of them shows as open answers far above these.
    /// </summary>
    public long Verified { get; init => field = NonNegative(value); }

    /// <summary>Counts by segment option, reason and journey step (<see cref="BreakdownNames"/>).</summary>
    public Breakdown Breakdown { get; init; }

    /// <summary>NPS answers: the n of the NPS formulas. Answers without an NPS score are not in it.</summary>
    public long NpsAnswers => Promoters + Passives + Detractors;

    /// <summary>The counts one answer adds.</summary>
    public static ScoreCounts Of(NpsScore score, int? csat, int? ces, bool verified) => new()
    {
        Promoters = score.Category == NpsCategory.Promoter ? 1 : 0,
        Passives = score.Category == NpsCategory.Passive ? 1 : 0,
        Detractors = score.Category == NpsCategory.Detractor ? 1 : 0,
        Answered = 1,
        CsatTop2 = csat >= 4 ? 1 : 0,
        CsatSum = csat ?? 0,
        CsatCount = csat is null ? 0 : 1,
        CesSum = ces ?? 0,
        CesCount = ces is null ? 0 : 1,
        Verified = verified ? 1 : 0,
    };

    /// <summary>What makes an answer verified (<see cref="Verified"/>): it came from a device, or with a receipt.</summary>
    public static bool IsVerified(AnswerSource source, string? receiptId) => source == AnswerSource.Device || receiptId is not null;

    public static ScoreCounts operator +(ScoreCounts a, ScoreCounts b) => Combine(a, b, +1);

    public static ScoreCounts operator -(ScoreCounts a, ScoreCounts b) => Combine(a, b, -1);

    // One mapping to and from table columns. A counter shard holds one set of counts under the long
    // names; a rollup row holds many, each under a prefix and the short names (a row has at most 252 columns).
    private static readonly (string Name, string Short, Func<ScoreCounts, long> Get)[] Columns =
    [
        ("Promoters", "P", c => c.Promoters),
        ("Passives", "Pa", c => c.Passives),
        ("Detractors", "D", c => c.Detractors),
        ("Answered", "N", c => c.Answered),
        ("CsatTop2", "Ct2", c => c.CsatTop2),
        ("CsatSum", "Cs", c => c.CsatSum),
        ("CsatCount", "Cc", c => c.CsatCount),
        ("CesSum", "Es", c => c.CesSum),
        ("CesCount", "Ec", c => c.CesCount),
        ("Verified", "V", c => c.Verified),
    ];

    // The breakdown's one string column: "Breakdown" on a shard, "{prefix}Breakdown" on a rollup.
    private const string BreakdownColumn = "Breakdown";

    /// <summary>Writes these counts as Int64 columns: all of them under their names, or the non-zero ones under <paramref name="prefix"/> and the short names.</summary>
    public void WriteTo(TableEntity entity, string? prefix = null)
    {
        foreach (var (name, shortName, get) in Columns)
        {
            var value = get(this);
            if (prefix is null)
            {
                entity[name] = value;
            }
            else if (value != 0)
            {
                entity[prefix + shortName] = value;
            }
        }

        if (!Breakdown.IsEmpty)
        {
            entity[(prefix ?? "") + BreakdownColumn] = Breakdown.ToJson();
        }
    }

    /// <summary>Reads counts written by <see cref="WriteTo"/> with the same prefix; a missing column is 0.</summary>
    public static ScoreCounts ReadFrom(TableEntity entity, string? prefix = null)
    {
        var v = Columns.Select(c => entity.GetInt64(prefix is null ? c.Name : prefix + c.Short) ?? 0).ToArray();
        return new()
        {
            Promoters = v[0],
            Passives = v[1],
            Detractors = v[2],
            Answered = v[3],
            CsatTop2 = v[4],
            CsatSum = v[5],
            CsatCount = v[6],
            CesSum = v[7],
            CesCount = v[8],
            Verified = v[9],
            Breakdown = Breakdown.FromJson(entity.GetString((prefix ?? "") + BreakdownColumn)),
        };
    }

    private static ScoreCounts Combine(ScoreCounts a, ScoreCounts b, int sign) => new()
    {
        Promoters = a.Promoters + (sign * b.Promoters),
        Passives = a.Passives + (sign * b.Passives),
        Detractors = a.Detractors + (sign * b.Detractors),
        Answered = a.Answered + (sign * b.Answered),
        CsatTop2 = a.CsatTop2 + (sign * b.CsatTop2),
        CsatSum = a.CsatSum + (sign * b.CsatSum),
        CsatCount = a.CsatCount + (sign * b.CsatCount),
        CesSum = a.CesSum + (sign * b.CesSum),
        CesCount = a.CesCount + (sign * b.CesCount),
        Verified = a.Verified + (sign * b.Verified),
        Breakdown = sign > 0 ? a.Breakdown + b.Breakdown : a.Breakdown - b.Breakdown,
    };

    private static long NonNegative(long value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Counts cannot be negative.");
}
