using Feedback.Functions.Hosting;

namespace Feedback.Functions.Scores;

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
