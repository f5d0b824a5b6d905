using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Webhooks;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.FollowUp;

/// <summary>With default settings, webhooks never go to private, loopback or link-local addresses.</summary>
public sealed class FollowUpPrivateTargetTests(FollowUpPrivateTargetTests.Fixture app) : IClassFixture<FollowUpPrivateTargetTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:RetrySchedule"] = "00:00:00",
        };
    }

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://localhost:8443/hook")]
    [InlineData("https://10.20.30.40/hook")]
    [InlineData("https://192.168.0.10/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("http://127.0.0.1:8787/hook")]
    public async Task PrivateLoopbackOrLinkLocalUrl_IsRefusedAtRegistration(string url)
    {
        var store = await app.CreateStoreAsync();

        using var response = await app.AdminClient().PutAsJsonAsync($"/api/stores/{store}/webhooks", new { url, events = FollowUpApi.AllEvents });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync())["errors"]!.AsObject().ContainsKey("url"));
        using var stored = await app.AdminClient().GetAsync($"/api/stores/{store}/webhooks");
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
    }

    [Fact]
    public async Task PublicHttpsAddress_IsAccepted()
    {
        var store = await app.CreateStoreAsync();

        using var response = await app.AdminClient().PutAsJsonAsync($"/api/stores/{store}/webhooks", new { url = "https://93.184.215.14/hook", events = FollowUpApi.AllEvents });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await app.AdminClient().DeleteAsync($"/api/stores/{store}/webhooks");
    }

    [Fact]
    public async Task SubscriptionThatPointsAtLoopback_IsRefusedAgainAtDelivery_AndDeadLettered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        // Written past the API, as a record made before the rule, or a name re-pointed since, would be.
        await app.App.Services.GetRequiredService<WebhookSubscriptions>().PutAsync(
            new WebhookSubscription(store, receiver.Url, WebhookSecret.Generate(), FollowUpApi.AllEvents, DateTimeOffset.UtcNow), CancellationToken.None);

        await app.AnswerAsync(kiosk, 0);
        var dead = await Eventually.Value(
            async () => (await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/webhooks/deadletters?storeId={store}"))!["items"]!.AsArray(),
            items => items.Count > 0);

        Assert.Contains("private, loopback, link-local", Assert.Single(dead)!["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }
}
