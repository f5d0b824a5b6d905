using System.Globalization;

namespace Feedback.Functions.Webhooks;

/// <summary>Settings <c>Webhooks__*</c>: where deliveries may go, how long one may take, and when failed ones are retried.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Allows http and private, loopback and link-local targets: for local development and tests only.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>
    /// Delays before the 2nd, 3rd, … attempt, as comma-separated TimeSpans; a delivery is dead-lettered
    /// after one attempt more than there are delays. The default spreads 9 attempts over about 18 hours.
    /// </summary>
    public string RetrySchedule { get; set; } = "00:00:01,00:00:05,00:00:30,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00";

    /// <summary>How long a receiver has to answer one attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A pending delivery whose next attempt is this much overdue is stuck (its attempt message was poisoned, say) and
    /// may be replayed. It covers an attempt's queue retries: five dequeues of a run of up to the 5 minute function timeout.
    /// </summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(30);

    public IReadOnlyList<TimeSpan> RetryDelays => TryParseSchedule(RetrySchedule, out var delays)
        ? delays
        : throw new InvalidOperationException("Setting 'Webhooks__RetrySchedule' is invalid.");

    public int MaxAttempts => RetryDelays.Count + 1;

    /// <summary>Comma-separated TimeSpans from 0 to 7 days (the queue's longest visibility delay); empty for a single attempt.</summary>
    public static bool TryParseSchedule(string? schedule, out IReadOnlyList<TimeSpan> delays)
    {
        var parsed = new List<TimeSpan>();
        delays = parsed;
        foreach (var part in (schedule ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var delay) || delay < TimeSpan.Zero || delay > TimeSpan.FromDays(7))
            {
                return false;
            }

            parsed.Add(delay);
        }

        return parsed.Count <= 20;
    }
}
