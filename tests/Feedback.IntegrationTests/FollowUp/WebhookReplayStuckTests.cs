using System.Net;
using System.Text.Json.Nodes;
using Feedback.Functions.Webhooks;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.FollowUp;

/// <summary>A delivery left pending by a poisoned attempt message can be replayed once it is overdue; one in progress cannot.</summary>
public sealed class WebhookReplayStuckTests(WebhookReplayStuckTests.Fixture app) : IClassFixture<WebhookReplayStuckTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:RetrySchedule"] = "00:00:01,00:00:01",
            ["Webhooks:StuckAfter"] = "00:05:00",
        };
    }

    [Fact]
    public async Task PendingDeliveryWhoseAttemptWasPoisoned_IsReplayedOnceOverdue_AndDeliveredOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var store = await app.CreateStoreAsync();
        await app.SubscribeAsync(store, receiver.Url);
        var stuck = await PendingAsync(store, "stuck", lastAttempt: DateTimeOffset.UtcNow.AddMinutes(-10));

        using var replay = await app.AdminClient().PostAsync($"/api/webhooks/deliveries/{stuck}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var delivered = await Eventually.Value(() => app.DeliveryAsync(stuck), d => d["status"]!.GetValue<string>() != "pending", TimeSpan.FromSeconds(20));
        Assert.Equal(("delivered", 1, 2), (delivered["status"]!.GetValue<string>(), delivered["replays"]!.GetValue<int>(), delivered["totalAttempts"]!.GetValue<int>()));
        Assert.Equal([stuck], receiver.Accepted.Select(r => r.Id));
    }

    [Fact]
    public async Task PendingDeliveryStillWithinItsTime_IsNotReplayed()
    {
        var store = await app.CreateStoreAsync();
        var recent = await PendingAsync(store, "recent", lastAttempt: DateTimeOffset.UtcNow.AddMinutes(-2));

        using var replay = await app.AdminClient().PostAsync($"/api/webhooks/deliveries/{recent}/replay", null);

        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal(409, (await replay.ProblemAsync())["status"]!.GetValue<int>());
        Assert.Equal((0, "pending"), ((await app.DeliveryAsync(recent))["replays"]!.GetValue<int>(), (await app.DeliveryAsync(recent))["status"]!.GetValue<string>()));
    }

    /// <summary>A delivery as an attempt leaves it when its handler dies after the claim, every time, until the message is poisoned.</summary>
    private async Task<string> PendingAsync(string store, string subject, DateTimeOffset lastAttempt)
    {
        var payload = new JsonObject { ["type"] = "case.opened", ["data"] = new JsonObject { ["storeId"] = store } }.ToJsonString();
        var delivery = WebhookDelivery.New(store, "case.opened", store, subject + Guid.NewGuid().ToString("N"), payload, lastAttempt.AddMinutes(-1))
            with { Attempts = 1, TotalAttempts = 1, LastAttemptAt = lastAttempt };
        var (created, _) = await app.App.Services.GetRequiredService<WebhookDeliveries>().CreateAsync(delivery, CancellationToken.None);
        Assert.True(created);
        return delivery.Id;
    }
}
