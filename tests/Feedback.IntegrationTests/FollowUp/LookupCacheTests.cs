using Feedback.Functions.FollowUp;
using Feedback.Functions.Webhooks;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace Feedback.IntegrationTests.FollowUp;

/// <summary>What every follow-up looks up (the store's deadline, the event's subscriptions) is read once per 30 s, and a change made here applies at once.</summary>
[Collection(TriggersOffCollection.Name)]
public sealed class LookupCacheTests(TriggersOffFixture app)
{
    [Fact]
    public async Task DeadlineAndSubscriptions_AreReadOnceWhileCached_AndAChangeMadeHereAppliesAtOnce()
    {
        var store = await app.CreateStoreAsync();
        var requests = 0;
        var storage = WatchedStorage.Of(app, new WatchedStorage.Around(next =>
        {
            Interlocked.Increment(ref requests);
            return next();
        }));
        using var cache = new MemoryCache(new MemoryCacheOptions());
        var policies = new FollowUpPolicies(storage, app.App.Services.GetRequiredService<FollowUpOptions>(), cache);
        var subscriptions = new WebhookSubscriptions(storage, cache);
        var ct = CancellationToken.None;

        for (var i = 0; i < 3; i++)
        {
            await policies.DeadlineAsync(store, ct);
            Assert.DoesNotContain(await subscriptions.ForStoreAsync(store, WebhookEvents.CaseOpened, ct), s => s.Key == store);
        }

        // One read of the policy, one of the store's subscription and one of the chain-wide one.
        Assert.Equal(3, requests);

        await policies.SetDeadlineAsync(store, 5, ct);
        await subscriptions.PutAsync(new WebhookSubscription(store, "https://example.com/hook", "0123456789abcdef0123456789abcdef", [WebhookEvents.CaseOpened], DateTimeOffset.UtcNow), ct);
        Assert.Equal(TimeSpan.FromHours(5), await policies.DeadlineAsync(store, ct));
        Assert.Contains(await subscriptions.ForStoreAsync(store, WebhookEvents.CaseOpened, ct), s => s.Key == store);
    }
}
