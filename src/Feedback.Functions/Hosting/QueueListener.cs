using Feedback.Storage.Queues;

namespace Feedback.Functions.Hosting;

/// <summary>
/// Standalone queue trigger with the Functions host's semantics: batches of <c>batchSize</c>, a new
/// fetch when in-flight work drops to <c>newBatchThreshold</c>, randomized exponential backoff up to
/// <c>maxPollingInterval</c> while idle, visibility renewed while a handler runs, failed messages
/// released after <c>visibilityTimeout</c>, and moved to <c>&lt;queue&gt;-poison</c> with their original
/// text once the dequeue count reaches <c>maxDequeueCount</c>.
/// </summary>
internal sealed class QueueListener(
    string functionName,
    QueueClient queue,
    QueueClient poisonQueue,
    QueueSettings settings,
    QueueSignals signals,
    Func<QueueTrigger, CancellationToken, Task> handler,
    ILogger logger,
    TimeSpan? drainTimeout = null) : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a received message stays hidden before it is renewed; short so a crashed instance's work returns soon.</summary>
    internal static TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    private readonly TimeSpan _drainTimeout = drainTimeout ?? TimeSpan.FromSeconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await queue.CreateIfNotExistsAsync(stoppingToken);
        using var handlerStop = new CancellationTokenSource();
        var inFlight = new HashSet<Task>();
        var delay = MinPollingInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                lock (inFlight)
                {
                    inFlight.RemoveWhere(t => t.IsCompleted);
                }

                Task[] running;
                lock (inFlight)
                {
                    running = [.. inFlight];
                }

                if (running.Length > settings.EffectiveNewBatchThreshold)
                {
                    await Task.WhenAny(running).WaitAsync(stoppingToken);
                    continue;
                }

                IReadOnlyList<QueueMessage> messages;
                try
                {
                    messages = await queue.ReceiveMessagesAsync(settings.BatchSize, LeaseDuration, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Receiving from {Queue} failed; retrying in {Delay}", queue.Name, delay);
                    messages = [];
                }

                if (messages.Count == 0)
                {
                    await signals.WaitAsync(queue.Name, Jitter(delay), stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                    continue;
                }

                delay = MinPollingInterval;
                foreach (var message in messages)
                {
                    var task = ProcessAsync(message, handlerStop.Token);
                    lock (inFlight)
                    {
                        inFlight.Add(task);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Graceful shutdown: let in-flight handlers finish; after the drain timeout they are cancelled and their messages released.
        Task[] remaining;
        lock (inFlight)
        {
            remaining = [.. inFlight];
        }

        var all = Task.WhenAll(remaining);
        if (await Task.WhenAny(all, Task.Delay(_drainTimeout, CancellationToken.None)) != all)
        {
            await handlerStop.CancelAsync();
            await all;
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken handlerStop)
    {
        var receipt = message.PopReceipt;
        try
        {
            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                // Delivered more often than allowed without a recorded failure: an instance died mid-handler.
                await MoveToPoisonAsync(message, receipt);
                return;
            }

            using var renewal = CancellationTokenSource.CreateLinkedTokenSource(handlerStop);
            var renewing = RenewAsync(message, r => receipt = r, renewal.Token);
            Exception? failure = null;
            try
            {
                await handler(new QueueTrigger(message.Text, message.MessageId, message.DequeueCount, message.InsertionTime), handlerStop);
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                await renewal.CancelAsync();
                await renewing;
            }

            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
            }
            else if (failure is OperationCanceledException && handlerStop.IsCancellationRequested)
            {
                logger.LogInformation("Shutting down: releasing message {MessageId} on {Queue}", message.MessageId, queue.Name);
                await queue.UpdateMessageAsync(message.MessageId, receipt, TimeSpan.Zero, cancellationToken: CancellationToken.None);
            }
            else if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                logger.LogError(failure, "{FunctionName} failed on message {MessageId} for the last time ({DequeueCount}); moving it to {PoisonQueue}",
                    functionName, message.MessageId, message.DequeueCount, poisonQueue.Name);
                await MoveToPoisonAsync(message, receipt);
            }
            else
            {
                logger.LogWarning(failure, "{FunctionName} failed on message {MessageId} (attempt {DequeueCount}); it will be retried",
                    functionName, message.MessageId, message.DequeueCount);
                await queue.UpdateMessageAsync(message.MessageId, receipt, settings.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            // Losing the pop receipt or the storage connection leaves the message to reappear after its lease: never lost.
            logger.LogWarning(e, "Completing message {MessageId} on {Queue} failed; it will reappear", message.MessageId, queue.Name);
        }
    }

    private async Task RenewAsync(QueueMessage message, Action<string> setReceipt, CancellationToken cancellationToken)
    {
        var receipt = message.PopReceipt;
        try
        {
            while (true)
            {
                await Task.Delay(LeaseDuration / 2, cancellationToken);
                // Not cancelled mid-flight: an update the service applied must leave us its new pop receipt.
                receipt = (await queue.UpdateMessageAsync(message.MessageId, receipt, LeaseDuration, cancellationToken: CancellationToken.None)).PopReceipt;
                setReceipt(receipt);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Renewing message {MessageId} on {Queue} failed", message.MessageId, queue.Name);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string receipt)
    {
        await poisonQueue.CreateIfNotExistsAsync(CancellationToken.None);
        await poisonQueue.SendMessageAsync(message.Text, cancellationToken: CancellationToken.None);
        await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
    }

    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (0.8 + (Random.Shared.NextDouble() * 0.4))));
}
