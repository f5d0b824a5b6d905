using Feedback.Functions.Storage;

namespace Feedback.Functions.Hosting;

public sealed class TriggerOptions
{
    public const string Section = "Triggers";

    /// <summary>
    /// Run the queue and timer triggers in this process. Defaults to on when the Functions host did not
    /// start the app (no FUNCTIONS_CUSTOMHANDLER_PORT).
    /// </summary>
    public bool Standalone { get; set; } = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is null;
}

/// <summary>Starts one queue listener per queue function and one timer runner per timer function from function.json.</summary>
internal sealed class StandaloneTriggers(
    FunctionCatalog catalog,
    StorageAccount storage,
    QueueSignals signals,
    Invoker invoker,
    IConfiguration configuration,
    TimeProvider clock,
    ILoggerFactory loggers) : IHostedService
{
    private readonly List<BackgroundService> _services = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var function in catalog.Functions)
        {
            var trigger = function.Trigger;
            var logger = loggers.CreateLogger("Feedback.Functions.Triggers." + function.Name);
            if (function.IsQueue)
            {
                var queueName = trigger.QueueName!;
                _services.Add(new QueueListener(
                    function.Name,
                    storage.Queue(queueName),
                    storage.Queue(queueName + "-poison"),
                    catalog.QueueSettings,
                    signals,
                    (message, ct) => invoker.RunQueueAsync(function.Name, Guid.NewGuid().ToString(), message, ct),
                    logger));
            }
            else if (function.IsTimer)
            {
                _services.Add(new TimerRunner(
                    function.Name,
                    TimerRunner.ParseSchedule(trigger.Schedule!, configuration),
                    trigger.RunOnStartup,
                    storage.Table(TableNames.Leases),
                    (timer, ct) => invoker.RunTimerAsync(function.Name, Guid.NewGuid().ToString(), timer, ct),
                    clock,
                    logger));
            }
        }

        foreach (var service in _services)
        {
            await service.StartAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_services.Select(s => s.StopAsync(cancellationToken)));
}
