using System.Text.Json;

namespace Feedback.Functions.Hosting;

/// <summary>
/// <c>POST /{FunctionName}</c> for every queue and timer function: how the Functions host invokes
/// a custom handler. A non-2xx answer fails the invocation, so the host retries and poisons.
/// </summary>
internal static class InvocationEndpoints
{
    public static void MapFunctionInvocations(this IEndpointRouteBuilder app)
    {
        // In standalone mode this process runs its own triggers and no host calls in: mapping these
        // would let anyone who reaches the app inject queue messages past validation.
        if (app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<TriggerOptions>>().Value.Standalone)
        {
            return;
        }

        foreach (var function in app.ServiceProvider.GetRequiredService<FunctionCatalog>().Functions.Where(f => !f.IsHttp))
        {
            app.MapPost("/" + function.Name, (HttpContext context, InvocationRequest request, Invoker invoker, TimeProvider clock, ILoggerFactory loggers) =>
                    InvokeAsync(function, context, request, invoker, clock, loggers.CreateLogger(typeof(InvocationEndpoints))))
                .WithName(function.Name)
                .ExcludeFromDescription();
        }
    }

    private static async Task<IResult> InvokeAsync(
        FunctionDefinition function, HttpContext context, InvocationRequest request, Invoker invoker, TimeProvider clock, ILogger logger)
    {
        if (context.Connection.RemoteIpAddress is { } remote && !System.Net.IPAddress.IsLoopback(remote))
        {
            // Only the Functions host, on this machine, invokes functions.
            return Results.NotFound();
        }

        var invocationId = context.Request.Headers["X-Azure-Functions-InvocationId"].FirstOrDefault() ?? Guid.NewGuid().ToString();
        try
        {
            var binding = function.Trigger.Name;
            if (function.IsQueue)
            {
                await invoker.RunQueueAsync(function.Name, invocationId, InvocationPayload.ReadQueueTrigger(request, binding), context.RequestAborted);
            }
            else
            {
                await invoker.RunTimerAsync(function.Name, invocationId, InvocationPayload.ReadTimerTrigger(request, binding, clock.GetUtcNow()), context.RequestAborted);
            }

            return Results.Json(InvocationResponse.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "Function {FunctionName} failed (invocation {InvocationId})", function.Name, invocationId);
            var status = e is InvalidInvocationException or JsonException ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError;
            return Results.Json(
                InvocationResponse.Empty with { Logs = [$"{function.Name} failed: {e.GetType().Name}"] },
                statusCode: status);
        }
    }
}
