using Feedback.Functions.Answers;
namespace Feedback.Functions.Scores;

public sealed record ChangeView(double Delta, double? Z, bool Significant);

/// <summary>
/// One period's figures at full precision; scores are null when n is 0, so charts show gaps. <c>verified</c> answers came
/// with a receipt or from a device, <c>open</c> ones from a poster or link: a flood shows as open far above verified.
/// <c>csatN</c> and <c>cesN</c> are the answers CSAT and CES are computed from.
/// </summary>
public sealed record ScorePoint(
    string Period,
    long N,
    long Promoters,
    long Passives,
    long Detractors,
    double? Nps,
    double[]? Interval,
    double? MarginOfError,
    bool? LowConfidence,
    double? Csat,
    double? Ces,
    ChangeView? Change,
    long Verified,
    long Open,
    long CsatN,
    long CesN)
{
    public static ScorePoint From(string period, ScoreCounts counts, ScoreCounts? previous, double lowConfidenceMargin)
    {
        var estimate = NpsMath.Estimate(counts, lowConfidenceMargin);
        var change = previous is { } p ? NpsMath.Change(counts, p) : null;
        return new ScorePoint(
            period, counts.NpsAnswers, counts.Promoters, counts.Passives, counts.Detractors,
            estimate?.Nps, estimate is null ? null : [estimate.Low, estimate.High], estimate?.MarginOfError, estimate?.LowConfidence,
            NpsMath.Csat(counts), NpsMath.Ces(counts),
            change is null ? null : new ChangeView(change.Delta, change.Z, change.Significant),
            counts.Verified, Math.Max(0, counts.Answered - counts.Verified), counts.CsatCount, counts.CesCount);
    }
}

/// <summary>A scope's series; for a store also its closing-the-loop figures (follow-up cases) over the same dates.</summary>
public sealed record ScoreSeries(string Scope, string Period, DateTimeOffset? AsOf, IReadOnlyList<ScorePoint> Series, FollowUp.CaseSummaryView? ClosingTheLoop = null);

public sealed record StoreScore(string StoreId, string Name, string Region, int? Rank, ScorePoint Score);

public sealed record StoreRanking(string Period, string Key, DateTimeOffset? AsOf, IReadOnlyList<StoreScore> Stores);

public sealed record TouchpointScore(string Touchpoint, ScorePoint Score);

/// <summary>One period of a scope: all answers, each touchpoint that has answers, and rewarded versus unrewarded answers.</summary>
public sealed record ScoreBreakdown(ScorePoint All, IReadOnlyList<TouchpointScore> Touchpoints, ScorePoint Rewarded, ScorePoint Unrewarded);

public sealed record ScoreBreakdownView(string Scope, string Period, DateTimeOffset? AsOf, ScoreBreakdown Breakdown);
