using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Feedback.Functions.Storage;

namespace Feedback.IntegrationTests.Infrastructure;

/// <summary>The app's storage seen through a step of the test's own on every request: to count requests or make some fail.</summary>
public static class WatchedStorage
{
    /// <summary>The app's storage through clients of the test's own, with <paramref name="step"/> on every request and no retries.</summary>
    public static StorageAccount Of(AppFixture app, HttpPipelinePolicy step)
    {
        var tables = new TableClientOptions();
        var queues = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        foreach (var options in new ClientOptions[] { tables, queues })
        {
            options.Retry.MaxRetries = 0;
            options.AddPolicy(step, HttpPipelinePosition.PerCall);
        }

        return new StorageAccount(new TableServiceClient(app.ConnectionString, tables), new QueueServiceClient(app.ConnectionString, queues));
    }

    /// <summary>A step around each request: it sends it by calling next, or does not.</summary>
    public sealed class Around(Func<HttpMessage, Func<ValueTask>, ValueTask> around) : HttpPipelinePolicy
    {
        public Around(Func<Func<ValueTask>, ValueTask> around)
            : this((_, next) => around(next))
        {
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            around(message, () => ProcessNextAsync(message, pipeline));

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
    }
}
