namespace Feedback.Functions.Scores;

/// <summary>
/// An NPS with its 95% adjusted-Wald interval. <see cref="Centre"/> is the interval's centre,
/// pulled slightly towards 0 from <see cref="Nps"/>; the interval is [Low, High], clamped to ±100.
/// Values are unrounded: round only when presenting.
/// </summary>
public sealed record NpsEstimate(
    double Nps,
    double Centre,
    double MarginOfError,
    double Low,
    double High,
    bool LowConfidence,
    long Answers);
