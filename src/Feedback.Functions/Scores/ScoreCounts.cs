namespace Feedback.Functions.Scores;

/// <summary>
/// The counts every score is computed from. Rollups add counts (<see cref="Add"/>) and compute
/// scores afterwards; averaging scores would weigh a 3-answer store like a 300-answer one.
/// </summary>
public readonly record struct ScoreCounts
{
    /// <summary>NPS answers 9–10.</summary>
    public long Promoters { get; init => field = NonNegative(value); }

    /// <summary>NPS answers 7–8.</summary>
    public long Passives { get; init => field = NonNegative(value); }

    /// <summary>NPS answers 0–6.</summary>
    public long Detractors { get; init => field = NonNegative(value); }

    /// <summary>CSAT answers in the top two boxes.</summary>
    public long CsatTop2 { get; init => field = NonNegative(value); }

    public long CsatCount { get; init => field = NonNegative(value); }

    public long CesSum { get; init => field = NonNegative(value); }

    public long CesCount { get; init => field = NonNegative(value); }

    /// <summary>NPS answers: the n of the NPS formulas. Answers without an NPS score are not in it.</summary>
    public long NpsAnswers => Promoters + Passives + Detractors;

    public static ScoreCounts Add(ScoreCounts left, ScoreCounts right) => new()
    {
        Promoters = left.Promoters + right.Promoters,
        Passives = left.Passives + right.Passives,
        Detractors = left.Detractors + right.Detractors,
        CsatTop2 = left.CsatTop2 + right.CsatTop2,
        CsatCount = left.CsatCount + right.CsatCount,
        CesSum = left.CesSum + right.CesSum,
        CesCount = left.CesCount + right.CesCount,
    };

    public static ScoreCounts operator +(ScoreCounts left, ScoreCounts right) => Add(left, right);

    private static long NonNegative(long value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Counts cannot be negative.");
}
