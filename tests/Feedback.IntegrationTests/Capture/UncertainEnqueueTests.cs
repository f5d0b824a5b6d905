using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Faults;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.IntegrationTests.Rewards;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedback.IntegrationTests.Capture;

/// <summary>
/// An enqueue that reached the queue but whose answer was lost (a timeout after the send): the customer saw a failure
/// and retries. The retry must be the same answer, not a second one on the same receipt.
/// </summary>
public sealed class UncertainEnqueueTests(UncertainEnqueueTests.Fixture app) : IClassFixture<UncertainEnqueueTests.Fixture>
{
    /// <summary>The app, with a switch that makes the next send to feedback-submitted succeed and then fail.</summary>
    public sealed class Fixture : AppFixture
    {
        private int _loseNext;

        public void LoseTheNextSendsAnswer() => Volatile.Write(ref _loseNext, 1);

        protected override IReadOnlyDictionary<string, string?> Settings => RewardFlows.GenerousLimits;

        protected override void ConfigureServices(IServiceCollection services)
        {
            var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            options.AddPolicy(new AfterSend(this), HttpPipelinePosition.PerCall);
            var queues = new QueueServiceClient(ConnectionString, options);
            services.Replace(ServiceDescriptor.Singleton(sp => new StorageAccount(sp.GetRequiredService<TableServiceClient>(), queues)));
        }

        private sealed class AfterSend(Fixture fixture) : HttpPipelinePolicy
        {
            public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
            {
                await ProcessNextAsync(message, pipeline);
                Lose(message);
            }

            public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
            {
                ProcessNext(message, pipeline);
                Lose(message);
            }

            private void Lose(HttpMessage message)
            {
                if (message.Request.Method == RequestMethod.Post
                    && message.Request.Uri.Path.EndsWith($"/{QueueNames.FeedbackSubmitted}/messages", StringComparison.Ordinal)
                    && Interlocked.Exchange(ref fixture._loseNext, 0) == 1)
                {
                    throw new RequestFailedException(0, "The send was delivered, but its answer was lost.");
                }
            }
        }
    }

    [Fact]
    public async Task ReceiptAnswerWithoutId_SentButUnanswered_RetriedAsIs_IsOneAnswerWithOneStatus_AndAnotherAnswerIsRefused()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var token = await app.ReceiptTokenAsync(store);
        var answer = new { token, score = 9, comment = "Quick and friendly." };

        app.LoseTheNextSendsAnswer();
        using var lost = await app.SubmitAsync(answer);
        await FaultLedger.AssertStorageAwayAsync(lost);
        var retry = await app.SubmitAcceptedAsync(answer);
        var again = await app.SubmitAcceptedAsync(answer);
        using var other = await app.SubmitAsync(new { token, score = 3 });

        Assert.Equal(retry, again);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var reward = (await app.WaitForRewardAsync(retry))["reward"]!;
        await app.SettledAsync();
        var counts = await app.CountersAsync(store, RewardFlows.Today);
        Assert.Equal((1L, 1L, 1L), (counts.Answered, counts.All.Promoters, counts.Rewarded.Answered));
        Assert.Equal(reward.Str("code"), Assert.Single(await app.RewardCodeRowsAsync(store)).PartitionKey);
        Assert.Equal(1, await app.CapCountAsync(store));
    }
}
