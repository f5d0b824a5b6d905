using Feedback.Functions.Storage;

namespace Feedback.Functions.Hosting;

/// <summary>
/// Standalone mode's timer triggers: one <see cref="TimerRunner"/> per timer function in function.json. (The WebJobs
/// timer extension that is served does not load beside the storage extension 5.x, so timers keep this small runner.)
/// </summary>
internal sealed class TimerTriggers(
    FunctionCatalog catalog,
    StorageAccount storage,
    Invoker invoker,
    IConfiguration configuration,
    TimeProvider clock,
    ILoggerFactory loggers) : IHostedService
{
    private readonly List<TimerRunner> _runners = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var function in catalog.Functions.Where(f => f.IsTimer))
        {
            _runners.Add(new TimerRunner(
                function.Name,
                TimerRunner.ParseSchedule(function.Trigger.Schedule!, configuration),
                function.Trigger.RunOnStartup,
                storage.Table(TableNames.Leases),
                (timer, ct) => invoker.RunTimerAsync(function.Name, Guid.NewGuid().ToString(), timer, ct),
                clock,
                loggers.CreateLogger("Feedback.Functions.Triggers." + function.Name)));
        }

        foreach (var runner in _runners)
        {
            await runner.StartAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_runners.Select(r => r.StopAsync(cancellationToken)));
}
