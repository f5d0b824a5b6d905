namespace Feedback.Functions.Hosting;

/// <summary>Runs one invocation of a queue or timer function in its own scope, with the invocation id in the log scope.</summary>
public sealed class Invoker(IServiceScopeFactory scopes, FunctionRegistry registry, ILogger<Invoker> logger)
{
    public async Task RunQueueAsync(string functionName, string invocationId, QueueTrigger trigger, CancellationToken cancellationToken)
    {
        using var _ = logger.BeginScope(new Dictionary<string, object>
        {
            ["InvocationId"] = invocationId,
            ["FunctionName"] = functionName,
            ["MessageId"] = trigger.MessageId,
        });
        using var activity = Telemetry.StartQueueInvocation(functionName, trigger);
        await using var scope = scopes.CreateAsyncScope();
        var function = (IQueueFunction)scope.ServiceProvider.GetRequiredService(registry.Handlers[functionName]);
        try
        {
            await function.RunAsync(trigger, cancellationToken);
        }
        catch (Exception e) when (Telemetry.Failed(activity, e))
        {
            throw;
        }
    }

    public async Task RunTimerAsync(string functionName, string invocationId, TimerTrigger trigger, CancellationToken cancellationToken)
    {
        using var _ = logger.BeginScope(new Dictionary<string, object>
        {
            ["InvocationId"] = invocationId,
            ["FunctionName"] = functionName,
        });
        using var activity = Telemetry.StartTimerInvocation(functionName);
        await using var scope = scopes.CreateAsyncScope();
        var function = (ITimerFunction)scope.ServiceProvider.GetRequiredService(registry.Handlers[functionName]);
        try
        {
            await function.RunAsync(trigger, cancellationToken);
        }
        catch (Exception e) when (Telemetry.Failed(activity, e))
        {
            throw;
        }
    }
}
