using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Storage;
using NCrontab;

namespace Feedback.Functions.Hosting;

/// <summary>
/// Standalone timer trigger: fires on the function.json NCRONTAB schedule (six fields, UTC). Each
/// occurrence is claimed with a conditional write in the leases table, so with several instances
/// every occurrence runs once. Storage failures never end the runner: the claim is retried with
/// backoff until it succeeds or the next occurrence is due.
/// </summary>
internal sealed class TimerRunner(
    string functionName,
    CrontabSchedule schedule,
    bool runOnStartup,
    TableClient leases,
    Func<TimerTrigger, CancellationToken, Task> handler,
    TimeProvider clock,
    ILogger logger) : BackgroundService
{
    internal static TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    public static CrontabSchedule ParseSchedule(string expression, IConfiguration configuration)
    {
        var expanded = expression;
        if (expression.StartsWith('%') && expression.EndsWith('%') && expression.Length > 2)
        {
            var setting = expression[1..^1];
            expanded = configuration[setting.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"Timer schedule refers to setting '{setting}', which is not set.");
        }

        return CrontabSchedule.TryParse(expanded, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new InvalidOperationException($"'{expanded}' is not a six-field NCRONTAB schedule ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}).");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (runOnStartup)
            {
                await RunAsync(new TimerTrigger(clock.GetUtcNow(), false), stoppingToken);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                var next = NextAfter(clock.GetUtcNow());
                var wait = next - clock.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock, stoppingToken);
                if (await ClaimWithRetriesAsync(next, stoppingToken))
                {
                    await RunAsync(new TimerTrigger(next, clock.GetUtcNow() - next > TimeSpan.FromMinutes(1)), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private DateTimeOffset NextAfter(DateTimeOffset time) => new(schedule.GetNextOccurrence(time.UtcDateTime), TimeSpan.Zero);

    private async Task RunAsync(TimerTrigger trigger, CancellationToken cancellationToken)
    {
        try
        {
            await handler(trigger, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // As under the host: no retry; the next occurrence runs as scheduled.
            logger.LogError(e, "Timer function {FunctionName} failed for {ScheduledTime}", functionName, trigger.ScheduledTime);
        }
    }

    /// <summary>Claims <paramref name="occurrence"/>, retrying storage failures; false when another instance has it or the next one is due.</summary>
    private async Task<bool> ClaimWithRetriesAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                return await ClaimAsync(occurrence, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (clock.GetUtcNow() + delay >= NextAfter(occurrence))
                {
                    logger.LogError(e, "Timer function {FunctionName} skips {ScheduledTime}: storage unavailable until the next occurrence", functionName, occurrence);
                    return false;
                }

                logger.LogWarning(e, "Claiming {FunctionName} for {ScheduledTime} failed; retrying in {Delay}", functionName, occurrence, delay);
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>True when this instance is the one to run <paramref name="occurrence"/>.</summary>
    internal async Task<bool> ClaimAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var claim = new TimerLease { RowKey = functionName, LastOccurrence = occurrence, Instance = Environment.MachineName + "/" + Environment.ProcessId };
        try
        {
            var current = await leases.GetEntityIfExistsAsync<TimerLease>(TimerLease.Partition, functionName, cancellationToken: cancellationToken);
            if (!current.HasValue)
            {
                await leases.AddEntityAsync(claim, cancellationToken);
                return true;
            }

            if (current.Value!.LastOccurrence >= occurrence)
            {
                return false;
            }

            await leases.UpdateEntityAsync(claim, current.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}

/// <summary>The last occurrence of a timer function that some instance claimed: PartitionKey "timer", RowKey = function name.</summary>
internal sealed class TimerLease : TableRow
{
    public const string Partition = "timer";

    public TimerLease() => PartitionKey = Partition;

    public DateTimeOffset LastOccurrence { get; set; }

    public string Instance { get; set; } = "";
}
