using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.FollowUp;

/// <summary>Detractor answers become cases and signed webhooks at a receiver on this machine, with retries, dead letters and replay.</summary>
public sealed class FollowUpWebhookTests(FollowUpWebhookTests.Fixture app) : IClassFixture<FollowUpWebhookTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:RetrySchedule"] = "00:00:00,00:00:01,00:00:01,00:00:01",
            ["RateLimits:DevicePerMinute"] = "1000",
        };
    }

    private const int MaxAttempts = 5;

    [Fact]
    public async Task DetractorAnswer_OpensACase_AndDeliversACorrectlySignedWebhookWithinFiveSeconds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var secret = await app.SubscribeAsync(store, receiver.Url);

        var feedbackId = await app.AnswerAsync(kiosk, 3, comment: "Dlouhá fronta, žádný úsměv");

        var webhook = await Eventually.First(() => Task.FromResult(receiver.About(store)), TimeSpan.FromSeconds(5));
        Assert.True(webhook.IsSignedWith(secret), $"{webhook.Signature} does not sign {webhook.Id}.{webhook.Timestamp}.{webhook.Body}");
        Assert.StartsWith("msg_", webhook.Id, StringComparison.Ordinal);
        Assert.InRange(long.Parse(webhook.Timestamp!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("case.opened", webhook.Type);
        Assert.Equal((feedbackId, 3, true, "Dlouhá fronta, žádný úsměv"), (webhook.Data["feedbackId"]!.GetValue<string>(), webhook.Data["score"]!.GetValue<int>(),
            webhook.Data["detractor"]!.GetValue<bool>(), webhook.Data["comment"]!.GetValue<string>()));
        Assert.Contains("Dlouhá fronta", webhook.Body, StringComparison.Ordinal);
        Assert.Null(webhook.Data["contact"]);

        var opened = await app.WaitForCaseAsync(store, feedbackId, TimeSpan.FromSeconds(5));
        Assert.Equal(webhook.Data["caseId"]!.GetValue<string>(), opened["caseId"]!.GetValue<string>());
        Assert.Equal(("open", false), (opened["status"]!.GetValue<string>(), opened["overdue"]!.GetValue<bool>()));
        Assert.Equal(TimeSpan.FromHours(48), opened["dueAt"]!.GetValue<DateTimeOffset>() - opened["createdAt"]!.GetValue<DateTimeOffset>());
        var byId = await app.AdminClient().GetFromJsonAsync<JsonObject>(new Uri(webhook.Data["url"]!.GetValue<string>()).PathAndQuery);
        Assert.Equal(feedbackId, byId!["feedbackId"]!.GetValue<string>());
    }

    [Fact]
    public async Task PromoterAnswer_OpensNoCase_AndSendsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        await app.SubscribeAsync(store, receiver.Url);

        await app.AnswerAsync(kiosk, 10);
        await app.AnswerAsync(kiosk, 8);
        var detractor = await app.AnswerAsync(kiosk, 6);
        await app.WaitForCaseAsync(store, detractor);
        await app.DrainAsync();

        Assert.Equal([detractor], (await app.CasesAsync(store)).Select(c => c["feedbackId"]!.GetValue<string>()));
        Assert.Equal([detractor], receiver.About(store).Select(w => w.Data["feedbackId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ConsentedContact_AsksForACallBack_EvenFromAPromoter_AndTravelsOnlyWithConsent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        await app.SubscribeAsync(store, receiver.Url);

        var callback = await app.AnswerAsync(kiosk, 9, contact: new { email = "jana@example.cz", consent = true });
        var withoutConsent = await app.AnswerAsync(kiosk, 4, contact: new { phone = "+420 601 123 456", consent = false });
        await app.WaitForCaseAsync(store, callback);
        await app.WaitForCaseAsync(store, withoutConsent);
        await app.DrainAsync();

        var cases = (await app.CasesAsync(store)).ToDictionary(c => c["feedbackId"]!.GetValue<string>());
        Assert.Equal((true, false, "jana@example.cz"), (cases[callback]["callbackRequested"]!.GetValue<bool>(),
            cases[callback]["detractor"]!.GetValue<bool>(), cases[callback]["contact"]!["email"]!.GetValue<string>()));
        Assert.Equal((false, true), (cases[withoutConsent]["callbackRequested"]!.GetValue<bool>(), cases[withoutConsent]["detractor"]!.GetValue<bool>()));
        Assert.Null(cases[withoutConsent]["contact"]);
        var webhooks = receiver.About(store).ToDictionary(w => w.Data["feedbackId"]!.GetValue<string>());
        Assert.Equal("jana@example.cz", webhooks[callback].Data["contact"]!["email"]!.GetValue<string>());
        Assert.Null(webhooks[withoutConsent].Data["contact"]);
    }

    [Fact]
    public async Task SameAnswerProcessedTwice_OpensOneCase_AndDeliversOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, _) = await app.CreateStoreWithKioskAsync();
        await app.SubscribeAsync(store, receiver.Url);
        var now = DateTimeOffset.UtcNow;
        var feedbackId = "dup-" + Guid.NewGuid().ToString("N")[..12];
        var message = JsonSerializer.Serialize(
            new FeedbackSubmitted(feedbackId, store, Touchpoint.Kiosk, AnswerSource.Device, null, DeviceKind.Kiosk, null, new NpsScore(1), null, null, [], "Twice", "cs",
                now, now, null, null, null),
            MessageQueue.Json);
        var queue = app.App.Services.GetRequiredService<StorageAccount>().Queue(QueueNames.FeedbackSubmitted);

        // The same message twice, as a redelivery would bring it; both are processed, concurrently.
        await Task.WhenAll(queue.SendMessageAsync(message), queue.SendMessageAsync(message));
        await app.WaitForCaseAsync(store, feedbackId);
        await Eventually.First(() => Task.FromResult(receiver.About(store)));
        await app.DrainAsync();

        Assert.Single(await app.CasesAsync(store));
        var webhook = Assert.Single(receiver.About(store));
        var delivery = await app.DeliveryAsync(webhook.Id!);
        Assert.Equal(("delivered", 1), (delivery["status"]!.GetValue<string>(), delivery["totalAttempts"]!.GetValue<int>()));
    }

    [Fact]
    public async Task ReceiverFailingTwice_GetsTheWebhookOnTheThirdTry_AndOnlyOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var secret = await app.SubscribeAsync(store, receiver.Url);
        receiver.FailNext(2);

        await app.AnswerAsync(kiosk, 2);
        await Eventually.Value(() => Task.FromResult(receiver.About(store)), r => r.Any(w => w.Status == 200));
        await app.DrainAsync();

        var tries = receiver.About(store);
        Assert.Equal([500, 500, 200], tries.Select(t => t.Status));
        Assert.Single(tries.Select(t => t.Id).Distinct());
        Assert.Single(tries.Select(t => t.Body).Distinct());
        Assert.All(tries, t => Assert.True(t.IsSignedWith(secret)));
        var delivery = await app.DeliveryAsync(tries[0].Id!);
        Assert.Equal(("delivered", 3, 200), (delivery["status"]!.GetValue<string>(), delivery["attempts"]!.GetValue<int>(),
            delivery["lastStatusCode"]!.GetValue<int>()));
    }

    [Fact]
    public async Task ReceiverDownForGood_IsDeadLettered_ThenAReplayDeliversTheSamePayloadOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var secret = await app.SubscribeAsync(store, receiver.Url);
        receiver.Down = true;

        var feedbackId = await app.AnswerAsync(kiosk, 1);
        var deadLetters = await Eventually.Value(
            async () => (await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/webhooks/deadletters?storeId={store}"))!["items"]!.AsArray(),
            items => items.Count > 0,
            TimeSpan.FromSeconds(30));
        await app.DrainAsync();

        var dead = Assert.Single(deadLetters)!;
        var webhookId = dead["webhookId"]!.GetValue<string>();
        Assert.Equal(("case.opened", feedbackId, 503), (dead["payload"]!["type"]!.GetValue<string>(),
            dead["payload"]!["data"]!["feedbackId"]!.GetValue<string>(), dead["lastStatusCode"]!.GetValue<int>()));
        Assert.Equal(MaxAttempts, receiver.About(store).Count);
        Assert.Equal("deadlettered", (await app.DeliveryAsync(webhookId))["status"]!.GetValue<string>());

        receiver.Down = false;
        using var replay = await app.AdminClient().PostAsync($"/api/webhooks/deliveries/{webhookId}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var delivered = await Eventually.First(() => Task.FromResult(receiver.Accepted));
        await app.DrainAsync();

        Assert.Equal(webhookId, delivered.Id);
        Assert.Equal(receiver.Received[0].Body, delivered.Body);
        Assert.True(delivered.IsSignedWith(secret));
        Assert.Single(receiver.Accepted);
        var delivery = await app.DeliveryAsync(webhookId);
        Assert.Equal(("delivered", 1, MaxAttempts + 1), (delivery["status"]!.GetValue<string>(), delivery["replays"]!.GetValue<int>(),
            delivery["totalAttempts"]!.GetValue<int>()));
        using var again = await app.AdminClient().PostAsync($"/api/webhooks/deliveries/{webhookId}/replay", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task ChainWideWebhook_GetsEveryStoresCases_AlongsideTheStoresOwn()
    {
        await using var chain = await WebhookReceiver.StartAsync();
        await using var own = await WebhookReceiver.StartAsync();
        var chainSecret = await app.SubscribeAsync("*", chain.Url, ["case.opened"]);
        try
        {
            var (first, firstKiosk) = await app.CreateStoreWithKioskAsync();
            var (second, secondKiosk) = await app.CreateStoreWithKioskAsync();
            await app.SubscribeAsync(first, own.Url);

            await app.AnswerAsync(firstKiosk, 5);
            await app.AnswerAsync(secondKiosk, 4);
            await Eventually.Value(() => Task.FromResult(chain.Accepted), r => r.Count >= 2);
            await app.DrainAsync();

            Assert.Equal(new[] { first, second }.Order(), chain.Accepted.Select(w => w.Data["storeId"]!.GetValue<string>()).Order());
            Assert.All(chain.Accepted, w => Assert.True(w.IsSignedWith(chainSecret)));
            var ownWebhook = Assert.Single(own.Accepted);
            Assert.Equal(first, ownWebhook.Data["storeId"]!.GetValue<string>());
            Assert.DoesNotContain(ownWebhook.Id, chain.Accepted.Select(w => w.Id));
        }
        finally
        {
            using var _ = await app.AdminClient().DeleteAsync("/api/stores/*/webhooks");
        }
    }

    [Fact]
    public async Task Subscription_ShowsItsGeneratedSecretOnce_AndKeepsItWhenUpdatedWithoutOne()
    {
        var store = await app.CreateStoreAsync();
        var secret = await app.SubscribeAsync(store, "http://127.0.0.1:9/hook", ["case.opened"]);

        var shown = await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/stores/{store}/webhooks");
        using var update = await app.AdminClient().PutAsJsonAsync($"/api/stores/{store}/webhooks", new { url = "http://127.0.0.1:9/other", events = FollowUpApi.AllEvents });
        var updated = await update.Content.ReadFromJsonAsync<JsonObject>();
        using var invalid = await app.AdminClient().PutAsJsonAsync($"/api/stores/{store}/webhooks", new { url = "http://127.0.0.1:9/", events = new[] { "case.closed" }, secret = "s3cret" });
        using var anonymous = await app.App.CreateClient().GetAsync($"/api/stores/{store}/webhooks");

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Null(shown!["secret"]);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Null(updated!["secret"]);
        var stored = await app.App.Services.GetRequiredService<Feedback.Functions.Webhooks.WebhookSubscriptions>().GetAsync(store, default);
        Assert.Equal((secret, "http://127.0.0.1:9/other"), (stored!.Secret, stored.Url));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.ProblemAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("events") && errors.ContainsKey("secret"), errors.ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
