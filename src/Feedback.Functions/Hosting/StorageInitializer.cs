using Feedback.Functions.Storage;

namespace Feedback.Functions.Hosting;

/// <summary>Creates every table and queue before the app takes traffic, so no request path pays for it.</summary>
internal sealed class StorageInitializer(StorageAccount storage, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            TableNames.All.Select(name => (Task)storage.Table(name).CreateIfNotExistsAsync(cancellationToken))
                .Concat(QueueNames.All.Select(name => storage.Queue(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken))));
        logger.LogInformation("Storage ready: {TableCount} tables, {QueueCount} queues", TableNames.All.Count, QueueNames.All.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
