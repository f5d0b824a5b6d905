using Feedback.Functions.Hosting;
using Feedback.Functions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // The Functions host polls "/" until the handler answers; any answer means ready.
        app.MapGet("/", () => TypedResults.Ok(new { service = "feedback" })).ExcludeFromDescription();
        app.MapGet("/api/health", CheckAsync).WithName("HealthCheck");
        return app;
    }

    public sealed record HealthStatus(string Status, long StorageMilliseconds);

    public static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> CheckAsync(
        StorageAccount storage, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await storage.Queue(QueueNames.FeedbackSubmitted).GetPropertiesAsync(timeout.Token);
            // The probe row never exists (so the leases table's entity type serves); the read only proves the table service answers.
            await storage.Table(TableNames.Leases).FindAsync<TimerLease>("health", "probe", timeout.Token);
            return TypedResults.Ok(new HealthStatus("ok", (long)clock.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(HealthEndpoints)).LogWarning(e, "Health check: storage unreachable");
            return TypedResults.Problem(
                title: "Storage is unreachable",
                detail: "The app cannot reach its table or queue storage.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
