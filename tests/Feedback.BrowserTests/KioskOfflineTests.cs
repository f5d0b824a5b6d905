using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Feedback.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Feedback.BrowserTests;

/// <summary>A kiosk on a store's Wi-Fi: starts with no network, keeps answers through reloads, shows the reward it earns.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class KioskOfflineTests(BrowserFixture app)
{
    static KioskOfflineTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task Offline_ReloadStillRendersAndTakesThreeAnswers_ThatSurviveClosingThePage_AndUploadExactlyOnce()
    {
        var store = await app.CreateStoreAsync();
        var key = await app.EnrollKioskAsync(store);
        await using var context = await app.TabletAsync("cs-CZ");
        var network = new Network();
        await context.RouteAsync("**/*", network.HandleAsync);
        var page = await context.NewPageAsync();

        await page.GotoAsync("kiosk?thanks=2#key=" + Uri.EscapeDataString(key));
        await Expect(page.GetByTestId("start")).ToBeVisibleAsync();
        await WaitForOfflineReadyAsync(page);

        network.Offline = true;
        await context.SetOfflineAsync(true);
        var reloaded = await page.ReloadAsync();
        Assert.True(reloaded is { FromServiceWorker: true, Status: 200 }, $"The reload came from {(reloaded?.FromServiceWorker == true ? "the worker" : "the network")}.");
        var start = page.GetByTestId("start");
        await Expect(start.Locator("h1")).ToHaveTextAsync("Jak pravděpodobné je, že byste nás doporučili přátelům nebo známým?");
        await Expect(page.GetByTestId("offline")).ToBeVisibleAsync();

        foreach (var score in new[] { 10, 6, 2 })
        {
            await start.Locator($"button.score[data-value='{score}']").ClickAsync();
            await page.GetByTestId("send").ClickAsync();
            // The store gives kiosk rewards, but an answer that cannot reach the server cannot earn one: the kiosk says so.
            await Expect(page.GetByTestId("reward-offline")).ToHaveTextAsync("Kiosek je teď offline, takže za tuto odpověď odměnu dostat nelze. I tak vám děkujeme!");
            if (score == 10)
            {
                await page.ScreenshotAsync(new() { Path = SurveyTests.Screenshot("kiosk-thanks-offline.png") });
            }

            await Expect(start).ToBeVisibleAsync();
        }

        await Expect(page.GetByTestId("queued")).ToHaveTextAsync("Čeká na odeslání: 3");
        var queued = await KioskQueue.IdsAsync(page);
        Assert.Equal(3, queued.Distinct().Count());
        await page.ScreenshotAsync(new() { Path = SurveyTests.Screenshot("kiosk-offline-queued.png") });

        // Closed (a reboot, a crashed browser) and opened again, still offline: the same three answers wait.
        await page.CloseAsync();
        page = await context.NewPageAsync();
        var reopened = await page.GotoAsync("kiosk?thanks=2");
        Assert.True(reopened is { FromServiceWorker: true });
        await Expect(page.GetByTestId("start")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("queued")).ToHaveTextAsync("Čeká na odeslání: 3");
        Assert.Equal(queued, await KioskQueue.IdsAsync(page));
        Assert.Empty(network.Batches);
        Assert.Empty(await app.ListAsync(store));

        network.Offline = false;
        await context.SetOfflineAsync(false);
        await Expect(page.GetByTestId("queued")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("offline")).ToHaveCountAsync(0);
        Assert.Empty(await KioskQueue.IdsAsync(page));

        var stored = await app.WaitForAsync(store, 3);
        Assert.Equal(queued.Order(), stored.Select(a => a.Id).Order());
        Assert.Equal([2, 6, 10], stored.Select(a => a.Score).Order());
        Assert.Equal(3, await app.CountedAsync(store));
        Assert.Equal(queued, network.Batches.SelectMany(b => b).Distinct().ToArray());

        // The upload's answer lost on the way back would make the kiosk send the same ids again: harmless.
        using var client = app.Client();
        client.DefaultRequestHeaders.Add("X-Device-Key", key);
        using var again = await client.PostAsJsonAsync("api/feedback/batch", new { items = queued.Select(id => new { id, score = 5 }) });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await app.WaitForAsync(store, 3);
        Assert.Equal(3, await app.CountedAsync(store));
        Assert.Equal([2, 6, 10], (await app.ListAsync(store)).Select(a => a.Score).Order());
    }

    [Fact]
    public async Task KioskReward_ShowsTheIssuedCodeAndItsQr_ThenResets_AndTheCodeRedeemsAtTheTill()
    {
        var store = await app.CreateStoreAsync(rewardFor: ["kiosk"]);
        var key = await app.EnrollKioskAsync(store);
        await using var context = await app.TabletAsync("cs-CZ");
        var page = await context.NewPageAsync();

        await page.GotoAsync("kiosk?reward=4#key=" + Uri.EscapeDataString(key));
        var start = page.GetByTestId("start");
        await Expect(start).ToBeVisibleAsync();
        await WaitForConfigAsync(page);
        await start.Locator("button.score[data-value='4']").ClickAsync();
        await page.GetByTestId("send").ClickAsync();

        var code = page.GetByTestId("reward-code");
        await Expect(code).ToHaveTextAsync(CodeFormat());
        var shown = await code.TextContentAsync();
        var qr = page.GetByTestId("reward-qr");
        await Expect(qr).ToHaveAttributeAsync("src", $"/api/rewards/{shown}/qr");
        await Expect(qr).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await qr.EvaluateAsync<int>("img => img.naturalWidth") > 0, "The QR image did not load.");
        await Expect(page.GetByTestId("thanks").Locator(".reward-title")).ToHaveTextAsync("Ledový čaj o 20 % levněji");
        await page.ScreenshotAsync(new() { Path = SurveyTests.Screenshot("kiosk-thanks-reward.png") });

        // A few seconds later the next customer gets a blank start, with no trace of the code.
        await Expect(start).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(page.GetByTestId("reward-code")).ToHaveCountAsync(0);

        using var till = app.Client();
        till.DefaultRequestHeaders.Add("X-Device-Key", key);
        using var lookup = await till.GetAsync($"api/rewards/{shown}");
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        var issued = (await lookup.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((store, "issued"), (issued["storeId"]!.GetValue<string>(), issued["status"]!.GetValue<string>()));
        using var redeem = await till.PostAsync($"api/rewards/{shown}/redeem", null);
        Assert.Equal(HttpStatusCode.OK, redeem.StatusCode);
        using var twice = await till.PostAsync($"api/rewards/{shown}/redeem", null);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
    }

    [Fact]
    public async Task Kiosk_NeverShowsTheDeviceKey_AndOffersNoContextMenu()
    {
        var store = await app.CreateStoreAsync(rewardFor: ["receipt"]);
        var key = await app.EnrollKioskAsync(store);
        await using var context = await app.TabletAsync("en-US");
        var page = await context.NewPageAsync();

        await page.GotoAsync("kiosk#key=" + Uri.EscapeDataString(key));
        await Expect(page.GetByTestId("start")).ToBeVisibleAsync();
        await WaitForConfigAsync(page);
        Assert.DoesNotContain(key, page.Url, StringComparison.Ordinal);

        // The start-up heartbeat reached the server with the version of the script that runs.
        var version = app.Services.GetRequiredService<Feedback.Functions.Pages.PageAssets>().Get("kiosk.js").Version;
        using var admin = app.Client(admin: true);
        var devices = (await admin.GetFromJsonAsync<JsonObject>($"api/stores/{store}/devices"))!["devices"]!.AsArray();
        Assert.Equal(("online", version, 0), (devices[0]!["status"]!.GetValue<string>(), devices[0]!["appVersion"]!.GetValue<string>(), devices[0]!["queued"]!.GetValue<int>()));
        Assert.DoesNotContain(key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..], await page.ContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync("kiosk#setup");
        await Expect(page.GetByTestId("setup")).ToBeVisibleAsync();
        await Expect(page.Locator("#device-key")).ToHaveAttributeAsync("type", "password");
        await Expect(page.Locator("#device-key")).ToHaveValueAsync("");
        Assert.DoesNotContain(key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..], await page.ContentAsync(), StringComparison.Ordinal);

        var menuAllowed = await page.EvaluateAsync<bool>("() => document.body.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }))");
        Assert.False(menuAllowed);
        Assert.Equal("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).userSelect"));
    }

    [Fact]
    public async Task AnswersAnEarlierVersionLeftInLocalStorage_MoveToTheQueue_AndUploadOnce()
    {
        var store = await app.CreateStoreAsync(rewardFor: ["receipt"]);
        var key = await app.EnrollKioskAsync(store);
        await using var context = await app.TabletAsync("cs-CZ");
        string[] ids = ["legacyAnswer-000000001", "legacyAnswer-000000002"];
        var items = System.Text.Json.JsonSerializer.Serialize(ids.Select((id, i) => new { id, score = 7 + i, language = "cs", submittedAt = DateTimeOffset.UtcNow }));
        await context.AddInitScriptAsync($"localStorage.setItem('feedback.kiosk.queue', {System.Text.Json.JsonSerializer.Serialize(items)});");
        var page = await context.NewPageAsync();

        await page.GotoAsync("kiosk#key=" + Uri.EscapeDataString(key));

        var stored = await app.WaitForAsync(store, 2);
        Assert.Equal(ids, stored.Select(a => a.Id).Order());
        Assert.Equal([7, 8], stored.Select(a => a.Score).Order());
        await Expect(page.GetByTestId("queued")).ToHaveCountAsync(0);
        Assert.Empty(await KioskQueue.IdsAsync(page));
        Assert.Equal(2, await app.CountedAsync(store));
    }

    /// <summary>The worker has installed (page, scripts, styles, texts cached) and the store's kiosk settings are kept.</summary>
    private static async Task WaitForOfflineReadyAsync(IPage page)
    {
        // Active and in control of this page (it claims its clients once installed), with the default timeout.
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 15_000 });
        await WaitForConfigAsync(page);
    }

    private static async Task WaitForConfigAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => localStorage.getItem('feedback.kiosk.config') !== null");

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$")]
    private static partial Regex CodeFormat();

    /// <summary>
    /// The store's Wi-Fi for one tablet: while <see cref="Offline"/>, every request fails as with no network,
    /// the service worker's included (SetOfflineAsync alone does not reach those). Records the answer ids of every batch that got through.
    /// </summary>
    private sealed class Network
    {
        private readonly List<string[]> _batches = [];

        public volatile bool Offline;

        public IReadOnlyList<string[]> Batches
        {
            get
            {
                lock (_batches)
                {
                    return [.. _batches];
                }
            }
        }

        public async Task HandleAsync(IRoute route)
        {
            if (Offline)
            {
                await route.AbortAsync("internetdisconnected");
                return;
            }

            if (route.Request.Method == "POST" && route.Request.Url.Contains("/api/feedback/batch", StringComparison.Ordinal))
            {
                var ids = JsonNode.Parse(route.Request.PostData ?? "{}")!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();
                lock (_batches)
                {
                    _batches.Add(ids);
                }
            }

            await route.ContinueAsync();
        }
    }
}
