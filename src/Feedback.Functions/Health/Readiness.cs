using Azure;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Hosting;
using Feedback.Functions.Http;
using Feedback.Functions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Health;

/// <summary>What the on-call engineer asks first: can the app reach storage, and is work piling up.</summary>
public sealed record Readiness(string Status, long StorageMilliseconds, IReadOnlyList<QueueBacklog> Queues);

/// <summary>Reads every queue's approximate message count and its poison queue's: one metadata call each.</summary>
public sealed class BacklogReader(StorageAccount storage)
{
    public async Task<IReadOnlyList<QueueBacklog>> ReadAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(QueueNames.All.Select(async name =>
        {
            var messages = CountAsync(name, cancellationToken);
            var poison = CountAsync(name + "-poison", cancellationToken);
            return new QueueBacklog(name, await messages ?? 0, await poison ?? 0);
        }));

    private async Task<long?> CountAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await storage.Queue(queue).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // A poison queue exists only once a message has been moved there.
            return null;
        }
    }
}

/// <summary>
/// <c>GET /api/health/ready</c>: storage reachability and queue backlog, behind the admin key (backlogs say how busy the
/// chain is). <c>/api/health</c> stays the cheap anonymous probe.
/// </summary>
public static class ReadinessEndpoints
{
    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health/ready", ReadyAsync).WithName("ReadinessCheck").RequireAdminKey();
        return app;
    }

    public static async Task<Results<Ok<Readiness>, ProblemHttpResult>> ReadyAsync(
        BacklogReader backlog, StorageAccount storage, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var queues = backlog.ReadAsync(timeout.Token);
            await storage.Table(TableNames.Leases).FindAsync<TimerLease>("health", "probe", timeout.Token);
            var read = await queues;
            return TypedResults.Ok(new Readiness("ready", (long)clock.GetElapsedTime(started).TotalMilliseconds, read));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(ReadinessEndpoints)).LogWarning(e, "Readiness check: storage unreachable");
            return TypedResults.Problem(
                title: "Storage is unreachable",
                detail: "The app cannot reach its table or queue storage.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>The readiness check, and (when telemetry is exported) the sampler of the backlog and overdue gauges.</summary>
    public static IServiceCollection AddReadiness(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<BacklogReader>();
        return Telemetry.IsExported(configuration) ? services.AddHostedService<BacklogSampler>() : services;
    }
}

/// <summary>
/// Samples queue backlogs and overdue cases for the gauges in <see cref="FeedbackMetrics"/>, on
/// <see cref="TelemetryOptions.SampleInterval"/> (default five minutes); runs only when telemetry is exported.
/// </summary>
internal sealed class BacklogSampler(
    BacklogReader backlog, CaseStore cases, TimeProvider clock, Microsoft.Extensions.Options.IOptions<TelemetryOptions> options, ILogger<BacklogSampler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, clock);
        do
        {
            try
            {
                var queues = await backlog.ReadAsync(stoppingToken);
                var overdue = await cases.CountOverdueAsync(clock.GetUtcNow(), stoppingToken);
                FeedbackMetrics.LastSample = new BacklogSample(queues, overdue, clock.GetUtcNow());
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not sample queue backlogs and overdue cases");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
