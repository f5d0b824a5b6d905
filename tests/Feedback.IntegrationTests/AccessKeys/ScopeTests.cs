using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.IntegrationTests.FollowUp;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.AccessKeys;

/// <summary>
/// Every read route and the case update, called with store, region and chain keys: inside the scope 200, outside 403
/// problem+json, revoked 401. Two stores in one region and one in another, each with a case.
/// </summary>
public sealed class ScopeTests(ScopeTests.Fixture app) : IClassFixture<ScopeTests.Fixture>
{
    public sealed record World(string RegionA, string RegionB, string A1, string A2, string B1, string CaseA1, string CaseA2, string CaseB1);

    public sealed class Fixture : AppFixture
    {
        private Task<World>? _world;

        public Task<World> WorldAsync() => _world ??= CreateAsync();

        private async Task<World> CreateAsync()
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            using (var admin = AdminClient())
            {
                (await admin.PutAsJsonAsync("/api/segments", Segments.SegmentsApiTests.Visit)).EnsureSuccessStatusCode();
            }

            var (ra, rb) = ("ra-" + suffix, "rb-" + suffix);
            var stores = new[] { await this.CreateStoreAsync(region: ra), await this.CreateStoreAsync(region: ra), await this.CreateStoreAsync(region: rb) };
            var cases = new List<string>();
            foreach (var store in stores)
            {
                var (_, kiosk) = await this.EnrollDeviceAsync(store);
                var answer = await this.AnswerAsync(kiosk, 2, comment: "Cold coffee");
                cases.Add((await this.WaitForCaseAsync(store, answer))["caseId"]!.GetValue<string>());
            }

            return new World(ra, rb, stores[0], stores[1], stores[2], cases[0], cases[1], cases[2]);
        }
    }

    private static readonly string Today = Api.TodayIn("Europe/Prague").ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Every read route (and the case update) for one store, and for its region and the chain where the route takes a scope.</summary>
    private static string[] StoreRoutes(string store, string caseId) =>
    [
        $"/api/scores?scope=store:{store}&period=day&from={Today}&to={Today}",
        $"/api/scores/breakdown?scope=store:{store}&period=trailing28&date={Today}",
        $"/api/cases?storeId={store}",
        $"/api/cases?storeId={store}&status=open",
        $"/api/cases/summary?storeId={store}",
        $"/api/cases/{caseId}",
        $"PATCH /api/cases/{caseId}",
        $"/api/comments?storeId={store}",
        .. FigureRoutes($"store:{store}"),
    ];

    private static string[] ScopeRoutes(string scope) =>
    [
        $"/api/scores?scope={scope}&period=week&from={Today}&to={Today}",
        $"/api/scores/breakdown?scope={scope}&period=day&date={Today}",
        .. FigureRoutes(scope),
    ];

    private static string[] FigureRoutes(string scope) =>
    [
        $"/api/scores/segments?scope={scope}&period=week&date={Today}&segment=visit",
        $"/api/scores/drivers?scope={scope}&period=trailing28&date={Today}",
        $"/api/journeys?scope={scope}&period=day&date={Today}",
    ];

    [Fact]
    public async Task StoreKey_ReadsItsStore_IsRefusedEverywhereElse_AndIsRefusedOnceRevoked()
    {
        var w = await app.WorldAsync();
        var (id, key) = await app.CreateKeyAsync($"store:{w.A1}");
        using var client = app.BearerClient(key);

        await AssertStatusAsync(client, HttpStatusCode.OK, [.. StoreRoutes(w.A1, w.CaseA1), "/api/access-keys/current", "/api/segments", "/api/scores/stores?period=day&date=" + Today]);
        await AssertStatusAsync(client, HttpStatusCode.Forbidden,
            [.. StoreRoutes(w.A2, w.CaseA2), .. StoreRoutes(w.B1, w.CaseB1), .. ScopeRoutes($"region:{w.RegionA}"), .. ScopeRoutes("chain"), .. StoreRoutes("no-such-store", "no-such-store.abcdefgh1")]);
        Assert.Equal([w.A1], await StoreListAsync(client));
        foreach (var smuggled in new[] { $"/api/cases?storeId={w.A1}&storeId={w.A2}", $"/api/scores?scope=store:{w.A1}&scope=store:{w.A2}&period=day&from={Today}&to={Today}" })
        {
            using var response = await client.GetAsync(smuggled);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, $"{smuggled}: {(int)response.StatusCode}");
        }

        await app.RevokeAsync(id);
        await AssertStatusAsync(client, HttpStatusCode.Unauthorized, [.. StoreRoutes(w.A1, w.CaseA1), "/api/scores/stores?period=day&date=" + Today]);
    }

    [Fact]
    public async Task RegionKey_ReadsTheRegionAndItsStores_NotAnotherRegionNorTheChain()
    {
        var w = await app.WorldAsync();
        var (id, key) = await app.CreateKeyAsync($"region:{w.RegionA}", "viewer");
        using var client = app.BearerClient(key);
        string[] inside = [.. StoreRoutes(w.A1, w.CaseA1).Where(r => !r.StartsWith("PATCH", StringComparison.Ordinal)), .. StoreRoutes(w.A2, w.CaseA2).Where(r => !r.StartsWith("PATCH", StringComparison.Ordinal)), .. ScopeRoutes($"region:{w.RegionA}")];

        await AssertStatusAsync(client, HttpStatusCode.OK, inside);
        await AssertStatusAsync(client, HttpStatusCode.Forbidden,
            [.. StoreRoutes(w.B1, w.CaseB1), .. ScopeRoutes($"region:{w.RegionB}"), .. ScopeRoutes("chain")]);
        Assert.Equal(new[] { w.A1, w.A2 }.Order(StringComparer.Ordinal), (await StoreListAsync(client)).Order(StringComparer.Ordinal));

        await app.RevokeAsync(id);
        await AssertStatusAsync(client, HttpStatusCode.Unauthorized, inside);
    }

    [Fact]
    public async Task ChainKey_ReadsEverything_AndSeesEveryStore()
    {
        var w = await app.WorldAsync();
        var (_, key) = await app.CreateKeyAsync("chain", "viewer");
        using var client = app.BearerClient(key);

        await AssertStatusAsync(client, HttpStatusCode.OK,
            [.. ScopeRoutes("chain"), .. ScopeRoutes($"region:{w.RegionB}"), .. StoreRoutes(w.B1, w.CaseB1).Where(r => !r.StartsWith("PATCH", StringComparison.Ordinal))]);
        Assert.Superset(new HashSet<string> { w.A1, w.A2, w.B1 }, (await StoreListAsync(client)).ToHashSet());
    }

    [Fact]
    public async Task ViewerKey_ReadsACase_ButCannotChangeIt_AndAManagerKeyCan()
    {
        var w = await app.WorldAsync();
        var (_, viewer) = await app.CreateKeyAsync($"store:{w.A2}", "viewer");
        var (_, manager) = await app.CreateKeyAsync($"store:{w.A2}", "manager");

        using var read = await app.BearerClient(viewer).GetAsync($"/api/cases/{w.CaseA2}");
        using var refused = await app.BearerClient(viewer).PatchAsJsonAsync($"/api/cases/{w.CaseA2}", new { status = "resolved", note = "x" });
        using var changed = await app.BearerClient(manager).PatchAsJsonAsync($"/api/cases/{w.CaseA2}", new { status = "resolved", note = "Apologised, voucher given" });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("viewer", (await refused.ProblemAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var body = (await changed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("resolved", body["status"]!.GetValue<string>());
        Assert.Equal("Apologised, voucher given", body["notes"]!.AsArray()[^1]!["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheAdminKey_KeepsWorkingEverywhere()
    {
        var w = await app.WorldAsync();
        using var header = app.AdminClient();
        using var bearer = app.BearerClient(AppFixture.AdminKey);

        string[] routes = [.. StoreRoutes(w.B1, w.CaseB1).Where(r => !r.StartsWith("PATCH", StringComparison.Ordinal)), .. ScopeRoutes("chain"), .. ScopeRoutes($"region:{w.RegionA}")];
        await AssertStatusAsync(header, HttpStatusCode.OK, routes);
        await AssertStatusAsync(bearer, HttpStatusCode.OK, routes);
        Assert.Superset(new HashSet<string> { w.A1, w.A2, w.B1 }, (await StoreListAsync(header)).ToHashSet());
    }

    private static async Task<IReadOnlyList<string>> StoreListAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonObject>("/api/scores/stores?period=trailing28&date=" + Today))!["stores"]!.AsArray().Select(s => s!["storeId"]!.GetValue<string>())];

    private static async Task AssertStatusAsync(HttpClient client, HttpStatusCode expected, IEnumerable<string> routes)
    {
        foreach (var route in routes)
        {
            using var response = await client.CallAsync(route);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{route}: {(int)response.StatusCode} {body}");
            if (expected != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }
}
