using Azure.Storage.Queues;

namespace Feedback.IntegrationTests.Infrastructure;

public static class QueueCounts
{
    /// <summary>The queue's approximate message count (one Get Queue Properties call).</summary>
    public static async Task<int> GetApproximateMessagesCountAsync(this QueueClient queue, CancellationToken cancellationToken = default) =>
        (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
}
