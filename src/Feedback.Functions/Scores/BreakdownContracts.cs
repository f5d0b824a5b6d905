namespace Feedback.Functions.Scores;

/// <summary>One option of a segment question: its NPS with interval, and how it compares with the rest of the scope.</summary>
public sealed record SegmentOptionScore(
    string Value,
    IReadOnlyDictionary<string, string> Title,
    long N,
    long Promoters,
    long Passives,
    long Detractors,
    double? Nps,
    double[]? Interval,
    double? MarginOfError,
    bool? LowConfidence,
    ChangeView? VsRest,
    bool Differs);

/// <summary>GET /api/scores/segments: the options of one question; <c>unanswered</c> answers in the scope skipped it.</summary>
public sealed record SegmentScores(
    string Scope, string Period, string Key, string Segment, DateTimeOffset? AsOf, long N, long Unanswered, IReadOnlyList<SegmentOptionScore> Options);

/// <summary>One reason: the share of detractors and of promoters (who chose any reason) who chose it, and the difference.</summary>
public sealed record DriverScore(
    string Reason, long Detractors, ShareEstimate? DetractorShare, long Promoters, ShareEstimate? PromoterShare, ShareDifference? Difference);

/// <summary>GET /api/scores/drivers: reasons by how much more often detractors chose them than promoters, largest first.</summary>
public sealed record DriverScores(
    string Scope, string Period, string Key, DateTimeOffset? AsOf, long DetractorsWithReasons, long PromotersWithReasons, IReadOnlyList<DriverScore> Reasons);

/// <summary>One touchpoint as a journey step: its answers that carry a journey id, and the share scored 9–10.</summary>
public sealed record JourneyStep(string Touchpoint, long N, long Satisfied, ShareEstimate Share);

/// <summary>Journeys whose every answered step scored 9–10, of all journeys (observed, for comparison with the product).</summary>
public sealed record JourneysObserved(long Journeys, long EveryStepSatisfied, ShareEstimate? Share);

/// <summary>
/// GET /api/journeys. <c>weakestStep</c> is the step with the lowest share; <c>weakestClearly</c> only when its
/// interval lies below every other step's (otherwise the data cannot tell it from the next one).
/// </summary>
public sealed record JourneyScores(
    string Scope, string Period, string Key, DateTimeOffset? AsOf, IReadOnlyList<JourneyStep> Steps, ProductEstimate? Journey, string Method,
    JourneysObserved Observed, string? WeakestStep, bool WeakestClearly);
