namespace Feedback.Functions.Scores;

/// <summary>
/// Change in NPS between two periods, in points. <see cref="Z"/> is null when neither period has
/// any spread in its answers, where the z-test is undefined; such a change is never significant.
/// </summary>
public sealed record NpsChange(double Delta, double? Z, bool Significant);
