using System.Diagnostics;

namespace Feedback.Functions.Http;

/// <summary>
/// One log line per request, naming its route template (<c>/s/{token}</c>), never its path: survey tokens, status
/// ids and reward codes travel in paths. The framework's own request logs write the raw path, in their messages and
/// in the scope every other log line of the request carries, so they are off, whatever the settings say.
/// </summary>
public static partial class RequestLog
{
    /// <summary>Turns off the loggers that write raw paths; <see cref="UseRequestLog"/> logs in their place.</summary>
    public static ILoggingBuilder AddRequestLog(this ILoggingBuilder logging)
    {
        // Also drops the RequestPath scope: the hosting diagnostics open it only when this category is enabled.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // "No candidates found for the request path '…'" (debug) and the like.
        logging.AddFilter("Microsoft.AspNetCore.Routing.Matching", LogLevel.None);
        return logging;
    }

    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestLog));
            Answered(logger, context.Request.Method, RouteOf(context), context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    });

    /// <summary>The route template of the endpoint that served the request, or a placeholder when none matched.</summary>
    public static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template ? "/" + template.TrimStart('/') : "(no route)";

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Route} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void Answered(ILogger logger, string method, string route, int statusCode, double elapsedMs);
}
