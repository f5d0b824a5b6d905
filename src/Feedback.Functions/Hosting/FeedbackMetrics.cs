using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Feedback.Functions.Hosting;

/// <summary>
/// The product's own metrics, on one meter. Counters are recorded where the event happens; the backlog and overdue
/// gauges report what the backlog sampler (Health/Readiness.cs) last read, so a metrics export never waits on storage.
/// Tags stay low-cardinality: touchpoint and queue name, never a store or an answer id.
/// </summary>
public static class FeedbackMetrics
{
    public const string MeterName = "Feedback.Functions";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>(
        "feedback.answers.accepted", "{answer}", "Answers accepted and queued, by touchpoint.");

    private static readonly Counter<long> Processed = Meter.CreateCounter<long>(
        "feedback.answers.processed", "{answer}", "Answers stored and counted (once each, redeliveries excluded), by touchpoint.");

    private static readonly Histogram<double> Lag = Meter.CreateHistogram(
        "feedback.answers.processing_lag", "s", "Time from an answer's acceptance to its counting.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });

    private static readonly Counter<long> Issued = Meter.CreateCounter<long>(
        "feedback.rewards.issued", "{reward}", "Rewards issued, by touchpoint.");

    private static readonly Counter<long> Redeemed = Meter.CreateCounter<long>(
        "feedback.rewards.redeemed", "{reward}", "Rewards redeemed at a till or kiosk.");

    private static readonly Counter<long> Poisoned = Meter.CreateCounter<long>(
        "feedback.queue.poisoned", "{message}", "Messages moved to <queue>-poison after their last failed delivery, by queue.");

    private static readonly Counter<long> WebhookFailures = Meter.CreateCounter<long>(
        "feedback.webhooks.failed", "{attempt}", "Webhook attempts that failed, by outcome (retry or dead_letter).");

    static FeedbackMetrics()
    {
        Meter.CreateObservableGauge("feedback.queue.backlog", ObserveBacklog, "{message}",
            "Approximate messages waiting, by queue (poison queues included), as last sampled.");
        Meter.CreateObservableGauge("feedback.cases.overdue", ObserveOverdue, "{case}",
            "Open follow-up cases past their contact deadline, as last sampled.");
    }

    /// <summary>The last sample of queue backlogs and overdue cases, set by the backlog sampler (Health/Readiness.cs).</summary>
    internal static BacklogSample? LastSample { get; set; }

    public static void AnswerAccepted(string touchpoint) => Accepted.Add(1, Touchpoint(touchpoint));

    public static void AnswerProcessed(string touchpoint, TimeSpan lag)
    {
        var tag = Touchpoint(touchpoint);
        Processed.Add(1, tag);
        Lag.Record(Math.Max(0, lag.TotalSeconds), tag);
    }

    public static void RewardIssued(string touchpoint) => Issued.Add(1, Touchpoint(touchpoint));

    public static void RewardRedeemed() => Redeemed.Add(1);

    public static void MovedToPoison(string queue) => Poisoned.Add(1, new KeyValuePair<string, object?>("queue", queue));

    public static void WebhookFailed(bool deadLettered) =>
        WebhookFailures.Add(1, new KeyValuePair<string, object?>("outcome", deadLettered ? "dead_letter" : "retry"));

    private static KeyValuePair<string, object?> Touchpoint(string touchpoint) => new("touchpoint", touchpoint);

    private static IEnumerable<Measurement<long>> ObserveBacklog() =>
        LastSample?.Queues.SelectMany(q => new[]
        {
            new Measurement<long>(q.Messages, new KeyValuePair<string, object?>("queue", q.Name)),
            new Measurement<long>(q.Poison, new KeyValuePair<string, object?>("queue", q.Name + "-poison")),
        }) ?? [];

    private static IEnumerable<Measurement<long>> ObserveOverdue() =>
        LastSample?.OverdueCases is { } overdue ? [new Measurement<long>(overdue)] : [];
}

/// <summary>One reading of every queue's backlog and of the overdue cases.</summary>
internal sealed record BacklogSample(IReadOnlyList<QueueBacklog> Queues, long? OverdueCases, DateTimeOffset At);

/// <summary>A queue's approximate message count and its poison twin's.</summary>
public sealed record QueueBacklog(string Name, long Messages, long Poison);
