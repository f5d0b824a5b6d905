using Feedback.Functions.Hosting;

namespace Feedback.Functions.Scores;

public sealed class ScoreOptions
{
    public const string Section = "Scores";

    /// <summary>NCRONTAB schedule of AggregateScores (its function.json reads %Scores__Schedule%).</summary>
    public string Schedule { get; set; } = "0 */5 * * * *";

    /// <summary>A score whose margin of error exceeds this many points is flagged lowConfidence.</summary>
    public double LowConfidenceMargin { get; set; } = NpsMath.DefaultLowConfidenceThreshold;
}

/// <summary>Timer: roll changed store-days up into the stored scores, then apply data retention.</summary>
public sealed class AggregateScoresFunction(ScoreAggregator aggregator, Retention retention) : ITimerFunction
{
    public const string Name = "AggregateScores";

    public async Task RunAsync(TimerTrigger trigger, CancellationToken cancellationToken)
    {
        await aggregator.RunScheduledAsync(cancellationToken);
        await retention.ApplyIfDueAsync(cancellationToken);
    }
}
