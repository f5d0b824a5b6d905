namespace Feedback.Functions.FollowUp;

/// <summary>Settings <c>FollowUp__*</c>: the default contact deadline and the burst alert rule.</summary>
public sealed class FollowUpOptions
{
    public const string Section = "FollowUp";

    /// <summary>How long a store has to contact the customer of a new case, unless the store sets its own.</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromHours(48);

    /// <summary>The sliding window a burst is counted in, and the quiet time after an alert.</summary>
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A burst needs at least this many answers in the window…</summary>
    public int BurstMinAnswers { get; set; } = 4;

    /// <summary>…of which at least this share are detractors.</summary>
    public double BurstDetractorShare { get; set; } = 0.5;
}
