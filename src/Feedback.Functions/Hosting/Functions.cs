namespace Feedback.Functions.Hosting;

/// <summary>A queue message as a handler sees it, whichever mode delivered it.</summary>
public sealed record QueueTrigger(string Text, string MessageId, long DequeueCount, DateTimeOffset? InsertionTime);

/// <summary>A timer occurrence as a handler sees it.</summary>
public sealed record TimerTrigger(DateTimeOffset ScheduledTime, bool IsPastDue);

/// <summary>A queue-triggered function. Throwing fails the invocation: the message is retried, then poisoned.</summary>
public interface IQueueFunction
{
    Task RunAsync(QueueTrigger trigger, CancellationToken cancellationToken);
}

/// <summary>A timer-triggered function.</summary>
public interface ITimerFunction
{
    Task RunAsync(TimerTrigger trigger, CancellationToken cancellationToken);
}

/// <summary>Maps function names (function.json folder names) to their handler types.</summary>
public sealed class FunctionRegistry
{
    private readonly Dictionary<string, Type> _handlers = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Type> Handlers => _handlers;

    internal void Add(string functionName, Type handler)
    {
        if (!_handlers.TryAdd(functionName, handler))
        {
            throw new InvalidOperationException($"Function '{functionName}' is registered twice.");
        }
    }
}

public static class FunctionRegistrationExtensions
{
    public static IServiceCollection AddQueueFunction<T>(this IServiceCollection services, string functionName)
        where T : class, IQueueFunction => services.AddFunction<T>(functionName);

    public static IServiceCollection AddTimerFunction<T>(this IServiceCollection services, string functionName)
        where T : class, ITimerFunction => services.AddFunction<T>(functionName);

    private static IServiceCollection AddFunction<T>(this IServiceCollection services, string functionName)
        where T : class
    {
        services.AddScoped<T>();
        var registry = (FunctionRegistry?)services.FirstOrDefault(d => d.ServiceType == typeof(FunctionRegistry))?.ImplementationInstance;
        if (registry is null)
        {
            registry = new FunctionRegistry();
            services.AddSingleton(registry);
        }

        registry.Add(functionName, typeof(T));
        return services;
    }
}
