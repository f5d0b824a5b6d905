namespace Feedback.Functions.Scores;

/// <summary>Settings <c>Scores__*</c>.</summary>
public sealed class ScoreOptions
{
    public const string Section = "Scores";

    /// <summary>NCRONTAB schedule of AggregateScores (its function.json reads %Scores__Schedule%).</summary>
    public string Schedule { get; set; } = "0 */5 * * * *";

    /// <summary>A score whose margin of error exceeds this many points is flagged lowConfidence.</summary>
    public double LowConfidenceMargin { get; set; } = NpsMath.DefaultLowConfidenceThreshold;
}

/// <summary>Settings <c>Retention__*</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Raw answers older than this are deleted; their counts stay in the counters and rollups.</summary>
    public int Days { get; set; } = 400;

    /// <summary>Contact details are erased from answers older than this.</summary>
    public int ContactDays { get; set; } = 30;

    /// <summary>Follow-up cases older than this are deleted (their contact details went after ContactDays).</summary>
    public int CaseDays { get; set; } = 400;

    /// <summary>Webhook deliveries and dead letters older than this are deleted (their payloads lose contact details after ContactDays).</summary>
    public int WebhookDays { get; set; } = 30;
}
