using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feedback.Functions.Answers;
using Feedback.Functions.Capture;
using Feedback.Functions.Hosting;
using Feedback.Functions.Processing;
using Feedback.Functions.Rewards;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary>IssueReward called as the Functions host would redeliver a message: same request, same reward.</summary>
[Collection(RewardsCollection.Name)]
public sealed class IssueRewardRedeliveryTests(RewardsCollection.Fixture app)
{
    [Fact]
    public async Task SameRewardRequestedProcessedTwice_IssuesOneCode_CountedOnce()
    {
        var (store, trigger) = await StoredAnswerAwaitingRewardAsync();

        using var scope = app.App.Services.CreateScope();
        var function = scope.ServiceProvider.GetRequiredService<IssueRewardFunction>();
        await function.RunAsync(trigger, CancellationToken.None);
        await function.RunAsync(trigger with { DequeueCount = 2 }, CancellationToken.None);

        var row = Assert.Single(await app.RewardCodeRowsAsync(store));
        Assert.Equal(1, await app.CapCountAsync(store));
        Assert.Equal(1, (await app.CountersAsync(store, RewardFlows.Today)).Rewarded.Total());
        var status = await app.WaitForStatusAsync(StatusUrl(store, trigger));
        Assert.Equal(row.PartitionKey, status["reward"]!.Str("code"));
    }

    [Fact]
    public async Task RewardRequestedRedeliveredAfterCrashBeforeTheCodeWasStored_StoresTheSameCode()
    {
        var (store, trigger) = await StoredAnswerAwaitingRewardAsync();
        using var scope = app.App.Services.CreateScope();
        var function = scope.ServiceProvider.GetRequiredService<IssueRewardFunction>();
        await function.RunAsync(trigger, CancellationToken.None);
        var code = Assert.Single(await app.RewardCodeRowsAsync(store)).PartitionKey;

        // The first delivery died after the reward and cap were written but before the code row was.
        await app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.RewardCodes).DeleteEntityAsync(code, "");
        await function.RunAsync(trigger with { DequeueCount = 2 }, CancellationToken.None);

        Assert.Equal(code, Assert.Single(await app.RewardCodeRowsAsync(store)).PartitionKey);
        Assert.Equal(1, await app.CapCountAsync(store));
        using var lookup = await app.AdminClient().LookUpAsync(code);
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
    }

    /// <summary>
    /// A receipt answer stored and counted while its store had no campaign (so nothing queued a reward
    /// request), then the campaign switched on, and the request ProcessFeedback would have sent.
    /// </summary>
    private async Task<(string Store, QueueTrigger Trigger)> StoredAnswerAwaitingRewardAsync()
    {
        var store = await app.CreateStoreAsync();
        var now = DateTimeOffset.UtcNow;
        var answer = new FeedbackSubmitted("redeliver-" + Guid.NewGuid().ToString("N")[..8], store, Touchpoint.Store, AnswerSource.Token,
            null, null, RewardFlows.NewReceiptId(), new NpsScore(10), null, null, [], null, "en", now, now, null, null, null);
        using (var scope = app.App.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProcessFeedbackFunction>().RunAsync(
                new QueueTrigger(JsonSerializer.Serialize(answer, MessageQueue.Json), "m0", 1, now), CancellationToken.None);
        }

        using var put = await app.AdminClient().PutAsJsonAsync($"/api/stores/{store}",
            new { name = "Café", region = "prague", timeZone = RewardFlows.Zone, languages = new[] { "cs", "en" }, reward = Api.Reward() });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var request = new RewardRequested(answer.Id, store, StoreDay.LocalDate(now, RewardFlows.Zone), answer.Touchpoint,
            RewardBasis.Receipt, answer.ReceiptId, null, answer.Language, answer.SubmittedAt);
        return (store, new QueueTrigger(JsonSerializer.Serialize(request, MessageQueue.Json), "m1", 1, now));
    }

    private string StatusUrl(string store, QueueTrigger trigger) =>
        StatusLinks.Path(app.App.Services.GetRequiredService<StatusLinks>().For(store, MessageQueue.Read<RewardRequested>(trigger.Text).FeedbackId));
}
