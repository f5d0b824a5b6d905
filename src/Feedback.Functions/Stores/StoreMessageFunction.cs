using Feedback.Functions.Answers;
using Feedback.Functions.Hosting;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Stores;

/// <summary>
/// The opening every queue function shares: read the message, find its store through the cache
/// (once per hop), drop a message for a store that no longer exists.
/// </summary>
public abstract class StoreMessageFunction<T>(StoreCache stores, ILogger logger) : IQueueFunction
    where T : IStoreMessage
{
    public async Task RunAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        var message = MessageQueue.Read<T>(trigger.Text);
        if (await stores.GetAsync(message.StoreId, cancellationToken) is not { } store)
        {
            logger.LogWarning("{Message} {MessageId} names unknown store {StoreId}; dropped", typeof(T).Name, trigger.MessageId, message.StoreId);
            return;
        }

        await RunAsync(message, store, cancellationToken);
    }

    protected abstract Task RunAsync(T message, Store store, CancellationToken cancellationToken);
}
