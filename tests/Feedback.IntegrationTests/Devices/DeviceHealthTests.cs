using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Devices;
using Feedback.Functions.Hosting;
using Feedback.IntegrationTests.FollowUp;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedback.IntegrationTests.Devices;

/// <summary>Kiosk heartbeats, the admin device list, and the device.offline / device.online webhooks, on a clock the tests move.</summary>
public sealed class DeviceHealthTests(DeviceHealthTests.Fixture app) : IClassFixture<DeviceHealthTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:RetrySchedule"] = "00:00:01,00:00:01",
        };

        protected override void ConfigureServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
    }

    private static readonly string[] DeviceEvents = ["device.offline", "device.online"];

    private static readonly TimeSpan Silence = new DeviceOptions().OfflineAfter + TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Heartbeat_AnswersTheKioskSettings_AndTheDeviceListShowsWhatItLastSaid()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(eligible: ["receipt", "kiosk"]));
        var (kioskId, kiosk) = await app.EnrollDeviceAsync(store);
        var (quietId, _) = await app.EnrollDeviceAsync(store);
        var (tillId, till) = await app.EnrollDeviceAsync(store, "pos");

        using var beat = await HeartbeatAsync(kiosk, new { appVersion = "3f2a9c1e", queued = 4, lastError = "2026-12-01T10:00:00Z upload: HTTP 503" });
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        var config = (await beat.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((kioskId, store, "Café " + store, "kiosk", true, 60, 120), (
            config["deviceId"]!.GetValue<string>(), config["storeId"]!.GetValue<string>(), config["storeName"]!.GetValue<string>(),
            config["kind"]!.GetValue<string>(), config["kioskRewards"]!.GetValue<bool>(), config["heartbeatSeconds"]!.GetValue<int>(),
            config["rewardIntervalSeconds"]!.GetValue<int>()));
        using (var tillBeat = await HeartbeatAsync(till, new { }))
        {
            Assert.False((await tillBeat.Content.ReadFromJsonAsync<JsonObject>())!["kioskRewards"]!.GetValue<bool>());
        }

        using (var revoke = await app.AdminClient().DeleteAsync($"/api/stores/{store}/devices/{tillId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        var devices = await DevicesAsync(store);
        var shown = devices["devices"]!.AsArray().Select(d => d!.AsObject()).ToDictionary(d => d["deviceId"]!.GetValue<string>());
        Assert.Equal(3, shown.Count);
        var k = shown[kioskId];
        Assert.Equal(("online", "3f2a9c1e", 4, "2026-12-01T10:00:00Z upload: HTTP 503", app.Clock.GetUtcNow()), (
            k["status"]!.GetValue<string>(), k["appVersion"]!.GetValue<string>(), k["queued"]!.GetValue<int>(),
            k["lastError"]!.GetValue<string>(), k["lastSeenAt"]!.GetValue<DateTimeOffset>()));
        Assert.Equal(("never", null), (shown[quietId]["status"]!.GetValue<string>(), shown[quietId]["lastSeenAt"]));
        Assert.Equal("revoked", shown[tillId]["status"]!.GetValue<string>());
        Assert.Equal(600, devices["offlineAfterSeconds"]!.GetValue<int>());

        app.Clock.Advance(Silence);
        var later = (await DevicesAsync(store))["devices"]!.AsArray().Single(d => d!["deviceId"]!.GetValue<string>() == kioskId)!;
        Assert.Equal("offline", later["status"]!.GetValue<string>());

        // A revoked key reports nothing.
        using var revoked = await HeartbeatAsync(till, new { });
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task BadHeartbeatsAndListRequests_GetProblemsNamingWhatIsWrong()
    {
        var store = await app.CreateStoreAsync();
        var (_, kiosk) = await app.EnrollDeviceAsync(store);

        using var noKey = await app.Client.PostAsJsonAsync("/api/devices/heartbeat", new { queued = 1 });
        await AssertProblemAsync(noKey, HttpStatusCode.Unauthorized);
        using var wrongKey = await HeartbeatAsync(kiosk[..^2] + "xx", new { });
        await AssertProblemAsync(wrongKey, HttpStatusCode.Unauthorized);

        using var invalid = await HeartbeatAsync(kiosk, new { appVersion = "build 7!", queued = -1, lastError = new string('x', 501) });
        var problem = await AssertProblemAsync(invalid, HttpStatusCode.BadRequest);
        Assert.Equal(["appVersion", "lastError", "queued"], problem["errors"]!.AsObject().Select(e => e.Key).Order());

        using var wrongType = await HeartbeatAsync(kiosk, new { queued = "many" });
        await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest);
        var client = app.Client;
        using var notJson = new HttpRequestMessage(HttpMethod.Post, "/api/devices/heartbeat") { Content = new StringContent("{queued", System.Text.Encoding.UTF8, "application/json") };
        notJson.Headers.Add("X-Device-Key", kiosk);
        using var broken = await client.SendAsync(notJson);
        await AssertProblemAsync(broken, HttpStatusCode.BadRequest);

        using var notAdmin = await app.Client.GetAsync($"/api/stores/{store}/devices");
        await AssertProblemAsync(notAdmin, HttpStatusCode.Unauthorized);
        using var unknown = await app.AdminClient().GetAsync("/api/stores/no-such-store/devices");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SilentDevice_RaisesOneDeviceOffline_AndOneDeviceOnlineWhenItReturns_HoweverOftenTheCheckRuns()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var store = await app.CreateStoreAsync();
        var secret = await app.SubscribeAsync(store, receiver.Url, DeviceEvents);
        var (kioskId, kiosk) = await app.EnrollDeviceAsync(store);
        var (retiredId, retired) = await app.EnrollDeviceAsync(store);
        await BeatAsync(kiosk, new { appVersion = "v1", queued = 40, lastError = "offline since Tuesday" });
        await BeatAsync(retired, new { appVersion = "v1" });
        var lastSeen = app.Clock.GetUtcNow();
        using (var revoke = await app.AdminClient().DeleteAsync($"/api/stores/{store}/devices/{retiredId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await CheckAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await CheckAsync();
        await app.DrainAsync();
        Assert.Empty(receiver.About(store));

        app.Clock.Advance(Silence);
        // Overlapping runs (a slow run, a second instance) and repeats: still one event.
        await Task.WhenAll(CheckAsync(), CheckAsync(), CheckAsync());
        await CheckAsync();
        var offline = await Eventually.First(() => Task.FromResult(receiver.About(store)), TimeSpan.FromSeconds(10));
        await app.DrainAsync();
        Assert.Single(receiver.About(store));
        Assert.True(offline.IsSignedWith(secret));
        Assert.Equal("device.offline", offline.Type);
        Assert.Equal((kioskId, "Kiosk 1", 40, "v1", "offline since Tuesday", lastSeen), (
            offline.Data["deviceId"]!.GetValue<string>(), offline.Data["deviceName"]!.GetValue<string>(), offline.Data["queued"]!.GetValue<int>(),
            offline.Data["appVersion"]!.GetValue<string>(), offline.Data["lastError"]!.GetValue<string>(), offline.Data["lastSeenAt"]!.GetValue<DateTimeOffset>()));

        await BeatAsync(kiosk, new { appVersion = "v1", queued = 0 });
        var back = app.Clock.GetUtcNow();
        await Task.WhenAll(CheckAsync(), CheckAsync());
        await CheckAsync();
        await Eventually.Value(() => Task.FromResult(receiver.About(store)), list => list.Count >= 2, TimeSpan.FromSeconds(10));
        await app.DrainAsync();
        var events = receiver.About(store);
        Assert.Equal(["device.offline", "device.online"], events.Select(e => e.Type));
        var online = events[1];
        Assert.Equal((kioskId, back, lastSeen, 0), (online.Data["deviceId"]!.GetValue<string>(), online.Data["lastSeenAt"]!.GetValue<DateTimeOffset>(),
            online.Data["offlineSince"]!.GetValue<DateTimeOffset>(), online.Data["queued"]!.GetValue<int>()));

        // Silent again: a new spell, a new event under a new webhook id.
        app.Clock.Advance(Silence);
        await CheckAsync();
        await Eventually.Value(() => Task.FromResult(receiver.About(store)), list => list.Count >= 3, TimeSpan.FromSeconds(10));
        await app.DrainAsync();
        events = receiver.About(store);
        Assert.Equal(["device.offline", "device.online", "device.offline"], events.Select(e => e.Type));
        Assert.Equal(3, events.Select(e => e.Id).Distinct().Count());
        Assert.All(events, e => Assert.Equal(kioskId, e.Data["deviceId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ACheckThatDiedAfterRecordingTheChange_PublishesItOnTheNextRun_Once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var store = await app.CreateStoreAsync();
        await app.SubscribeAsync(store, receiver.Url, DeviceEvents);
        var (kioskId, kiosk) = await app.EnrollDeviceAsync(store);
        await BeatAsync(kiosk, new { appVersion = "v2" });
        var lastSeen = app.Clock.GetUtcNow();
        app.Clock.Advance(Silence);

        // What a run leaves behind when the process dies between recording the change and publishing it.
        var health = app.App.Services.GetRequiredService<DeviceHealthTable>();
        Assert.True(await health.TryWriteStateAsync(store, kioskId,
            new DeviceStateEntity { State = DeviceStateEntity.Offline, LastSeenAt = lastSeen, DetectedAt = app.Clock.GetUtcNow(), Published = false },
            null, CancellationToken.None));

        await CheckAsync();
        await CheckAsync();
        var offline = await Eventually.First(() => Task.FromResult(receiver.About(store)), TimeSpan.FromSeconds(10));
        await app.DrainAsync();
        Assert.Single(receiver.About(store));
        Assert.Equal(("device.offline", lastSeen), (offline.Type, offline.Data["lastSeenAt"]!.GetValue<DateTimeOffset>()));
    }

    private Task<HttpResponseMessage> HeartbeatAsync(string deviceKey, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/devices/heartbeat") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Device-Key", deviceKey);
        return app.Client.SendAsync(request);
    }

    private async Task BeatAsync(string deviceKey, object body)
    {
        using var response = await HeartbeatAsync(deviceKey, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonObject> DevicesAsync(string store)
    {
        using var response = await app.AdminClient().GetAsync($"/api/stores/{store}/devices");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task CheckAsync()
    {
        using var scope = app.App.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<CheckDevicesFunction>().RunAsync(new TimerTrigger(app.Clock.GetUtcNow(), false), CancellationToken.None);
    }

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
