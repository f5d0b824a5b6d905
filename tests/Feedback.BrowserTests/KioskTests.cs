using System.Diagnostics;
using System.Text.Json.Nodes;
using Feedback.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Feedback.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class KioskTests(BrowserFixture app)
{
    static KioskTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task SetUp_Answer_ThankYou_ThenABlankStartForTheNextCustomer()
    {
        var store = await app.CreateStoreAsync();
        var key = await app.EnrollKioskAsync(store);
        await using var context = await app.TabletAsync("en-US");
        var page = await context.NewPageAsync();
        await SurveyTests.WatchForInjectionAsync(page);

        await page.GotoAsync("kiosk?thanks=3&reward=3");
        await page.Locator("#device-key").FillAsync(key);
        await page.Locator("#kiosk-language").SelectOptionAsync("cs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and start" }).ClickAsync();
        var start = page.GetByTestId("start");
        await Expect(start.Locator("h1")).ToHaveTextAsync("Jak pravděpodobné je, že byste nás doporučili přátelům nebo známým?");
        await Expect(start.Locator("button.score")).ToHaveCountAsync(11);
        await Expect(start.Locator("button.score").Last).ToBeEnabledAsync();
        await page.ScreenshotAsync(new() { Path = SurveyTests.Screenshot("kiosk-start.png") });

        await start.Locator("button.score[data-value='10']").ClickAsync();
        var details = page.GetByTestId("details");
        await Expect(details.Locator(".chosen")).ToHaveTextAsync("Vaše hodnocení: 10");
        // A bouncing double tap on a chip is one tap: it stays selected.
        await details.Locator("[data-reason='speed']").DblClickAsync();
        await Expect(details.Locator("[data-reason='speed']")).ToHaveAttributeAsync("aria-pressed", "true");
        await details.Locator("textarea").FillAsync("<script>window.__xss=1</script>Rychlé");
        await page.GetByTestId("send").DblClickAsync();

        await Expect(page.GetByTestId("thanks").Locator("h1")).ToHaveTextAsync("Děkujeme!");
        // The store gives kiosk rewards: the thank-you waits for the code, shows it for 3 s, then resets.
        await Expect(start).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("queued")).ToHaveCountAsync(0);
        Assert.Empty(await KioskQueue.IdsAsync(page));

        // The next customer sees nothing of the previous answer.
        await start.Locator("button.score[data-value='3']").ClickAsync();
        await Expect(details.Locator(".chosen")).ToHaveTextAsync("Vaše hodnocení: 3");
        await Expect(details.Locator("[aria-pressed='true']")).ToHaveCountAsync(0);
        await Expect(details.Locator("textarea")).ToHaveValueAsync("");

        var stored = Assert.Single(await app.WaitForAsync(store, 1));
        Assert.Equal((10, "[\"speed\"]", "<script>window.__xss=1</script>Rychlé", "kiosk", "cs"),
            (stored.Score, stored.Reasons, stored.Comment, stored.Touchpoint, stored.Language));
        await SurveyTests.AssertNothingInjectedAsync(page);
    }

    [Fact]
    public async Task IdleMidAnswer_ResetsToABlankStart_AndSendsNothing()
    {
        var store = await app.CreateStoreAsync();
        var key = await app.EnrollKioskAsync(store);
        await using var context = await app.TabletAsync("cs-CZ");
        var page = await context.NewPageAsync();
        var batches = 0;
        page.Request += (_, request) => batches += request.Url.Contains("/api/feedback/batch", StringComparison.Ordinal) ? 1 : 0;

        await page.GotoAsync("kiosk?idle=3#key=" + Uri.EscapeDataString(key));
        var start = page.GetByTestId("start");
        var details = page.GetByTestId("details");
        await start.Locator("button.score[data-value='2']").ClickAsync();
        await details.Locator("[data-reason='price']").ClickAsync();
        await details.Locator("textarea").FillAsync("Ještě nedopsáno");
        var lastInput = Stopwatch.StartNew();
        await Expect(details).ToBeVisibleAsync(new() { Timeout = 1000 });

        await Expect(start).ToBeVisibleAsync(new() { Timeout = 10_000 });
        Assert.True(lastInput.Elapsed >= TimeSpan.FromSeconds(2), $"Reset after {lastInput.Elapsed}, before the 3 s idle timeout.");
        Assert.Equal("", new Uri(page.Url).Fragment);

        await start.Locator("button.score[data-value='6']").ClickAsync();
        await Expect(details.Locator("[aria-pressed='true']")).ToHaveCountAsync(0);
        await Expect(details.Locator("textarea")).ToHaveValueAsync("");
        Assert.Equal(0, batches);
        Assert.Empty(await KioskQueue.IdsAsync(page));
        Assert.Empty(await app.ListAsync(store));
    }

    [Fact]
    public async Task Offline_AnswersQueue_ThenUploadOnceEachWhenTheNetworkReturns()
    {
        var store = await app.CreateStoreAsync();
        var key = await app.EnrollKioskAsync(store);
        await using var context = await app.TabletAsync("cs-CZ");
        var page = await context.NewPageAsync();
        var offline = false;
        var delivered = new List<string>();
        await page.RouteAsync("**/api/feedback/batch", async route =>
        {
            if (offline)
            {
                await route.AbortAsync("internetdisconnected");
                return;
            }

            lock (delivered)
            {
                delivered.Add(route.Request.PostData ?? "");
            }

            await route.ContinueAsync();
        });

        await page.GotoAsync("kiosk?thanks=3#key=" + Uri.EscapeDataString(key));
        var start = page.GetByTestId("start");
        await Expect(start).ToBeVisibleAsync();
        offline = true;
        await context.SetOfflineAsync(true);

        foreach (var score in new[] { 9, 5, 0 })
        {
            await start.Locator($"button.score[data-value='{score}']").ClickAsync();
            await page.GetByTestId("send").ClickAsync();
            await Expect(page.GetByTestId("thanks")).ToBeVisibleAsync();
            await Expect(start).ToBeVisibleAsync();
        }

        await Expect(page.GetByTestId("queued")).ToHaveTextAsync("Čeká na odeslání: 3");
        await Expect(page.GetByTestId("offline")).ToBeVisibleAsync();
        var queued = await KioskQueue.IdsAsync(page);
        Assert.Equal(3, queued.Distinct().Count());
        Assert.Empty(delivered);
        Assert.Empty(await app.ListAsync(store));

        offline = false;
        await context.SetOfflineAsync(false);
        await Expect(page.GetByTestId("queued")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("offline")).ToHaveCountAsync(0);

        var stored = await app.WaitForAsync(store, 3);
        Assert.Equal(queued.Order(), stored.Select(a => a.Id).Order());
        Assert.Equal([0, 5, 9], stored.Select(a => a.Score).Order());
        Assert.Equal(3, await app.CountedAsync(store));
        var uploadedIds = delivered.SelectMany(body => JsonNode.Parse(body)!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())).ToArray();
        Assert.Equal(queued.Order(), uploadedIds.Order());
    }
}
