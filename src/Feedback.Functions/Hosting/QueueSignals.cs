using System.Collections.Concurrent;

namespace Feedback.Functions.Hosting;

/// <summary>
/// Wakes an idle standalone listener as soon as this process enqueues to its queue, so a message
/// sent here is picked up at once instead of after the polling backoff.
/// </summary>
public sealed class QueueSignals
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.Ordinal);

    public void Notify(string queueName)
    {
        var signal = Get(queueName);
        if (signal.CurrentCount == 0)
        {
            signal.Release();
        }
    }

    public async Task WaitAsync(string queueName, TimeSpan timeout, CancellationToken cancellationToken) =>
        await Get(queueName).WaitAsync(timeout, cancellationToken);

    private SemaphoreSlim Get(string queueName) => _signals.GetOrAdd(queueName, _ => new SemaphoreSlim(0, 1));
}
