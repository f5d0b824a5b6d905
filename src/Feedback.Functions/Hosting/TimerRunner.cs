using Azure;
using Feedback.Functions.Storage;
using Feedback.Storage.Tables;
using NCrontab;

namespace Feedback.Functions.Hosting;

/// <summary>
/// Standalone timer trigger: fires on the function.json NCRONTAB schedule (six fields, UTC). Each
/// occurrence is claimed with a conditional write in the leases table, so with several instances
/// every occurrence runs once.
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
                var now = clock.GetUtcNow();
                var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
                await Task.Delay(next - now, clock, stoppingToken);
                if (await ClaimAsync(next, stoppingToken))
                {
                    await RunAsync(new TimerTrigger(next, clock.GetUtcNow() - next > TimeSpan.FromMinutes(1)), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(TimerTrigger trigger, CancellationToken cancellationToken)
    {
        try
        {
            await handler(trigger, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As under the host: no retry; the next occurrence runs as scheduled.
            logger.LogError(e, "Timer function {FunctionName} failed for {ScheduledTime}", functionName, trigger.ScheduledTime);
        }
    }

    /// <summary>True when this instance is the one to run <paramref name="occurrence"/>.</summary>
    internal async Task<bool> ClaimAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        try
        {
            var lease = await leases.GetEntityIfExistsAsync("timer", functionName, cancellationToken: cancellationToken);
            if (lease is null)
            {
                await leases.AddEntityAsync(Lease(occurrence), cancellationToken);
                return true;
            }

            if (lease.GetDateTimeOffset("LastOccurrence") >= occurrence)
            {
                return false;
            }

            await leases.UpdateEntityAsync(Lease(occurrence), lease.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private TableEntity Lease(DateTimeOffset occurrence) => new("timer", functionName)
    {
        ["LastOccurrence"] = occurrence,
        ["Instance"] = Environment.MachineName + "/" + Environment.ProcessId,
    };
}
