using Azure;
using Microsoft.AspNetCore.Diagnostics;

namespace Feedback.Functions.Http;

/// <summary>
/// Storage that cannot be reached is the service's trouble, not the caller's: answer 503 with
/// Retry-After so clients (kiosks, the survey page) retry, never a stack trace.
/// </summary>
public sealed class StorageUnavailableHandler(IProblemDetailsService problems, ILogger<StorageUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStorageFailure(exception) || httpContext.RequestAborted.IsCancellationRequested)
        {
            return false;
        }

        logger.LogError(exception, "Storage unavailable while serving {Route}", RequestLog.RouteOf(httpContext));
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = 503, Title = "Service unavailable", Detail = "Storage is temporarily unavailable; try again shortly." },
        });
    }

    // Azure.Core's retry policy gives up with an AggregateException of the attempts' failures.
    private static bool IsStorageFailure(Exception e) => e switch
    {
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsStorageFailure),
        // Transient failures only: a 4xx from storage is this app's bug, not an outage to retry.
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or TaskCanceledException => true,
        _ => false,
    };
}
