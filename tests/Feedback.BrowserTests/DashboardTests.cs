using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Feedback.BrowserTests;

/// <summary>The dashboard in Chromium against the app with half a year of answers in three cafés of one region.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture app)
{
    static DashboardTests() => SetDefaultExpectTimeout(20_000);

    private Task<DashboardWorld> WorldAsync() => app.DashboardWorldAsync();

    internal static string Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Prague")).DateTime)
        .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Task<IBrowserContext> DesktopAsync(string locale = "en-GB") => DesktopAsync(app, locale);

    internal static Task<IBrowserContext> DesktopAsync(BrowserFixture app, string locale = "en-GB") => app.Browser.NewContextAsync(new()
    {
        ViewportSize = new() { Width = 1280, Height = 900 },
        Locale = locale,
        TimezoneId = "Europe/Prague",
        BaseURL = app.BaseAddress.ToString(),
        AcceptDownloads = true,
    });

    private Task<IBrowserContext> PhoneAsync(string locale = "cs-CZ") => app.Browser.NewContextAsync(new()
    {
        ViewportSize = new() { Width = 390, Height = 844 },
        IsMobile = true,
        HasTouch = true,
        Locale = locale,
        TimezoneId = "Europe/Prague",
        BaseURL = app.BaseAddress.ToString(),
    });

    [Fact]
    public async Task StoreKey_TypedIn_ShowsTheStoresNpsAndInterval_ExactlyAsTheApiGivesThem_AndTheChartWithItsBand()
    {
        var world = await WorldAsync();
        await using var questions = await app.SegmentQuestionsAsync();
        var key = await app.CreateKeyAsync($"store:{world.Main}");
        using var api = app.BearerClient(key);
        var point = (await api.GetFromJsonAsync<JsonObject>($"api/scores?scope=store:{world.Main}&period=trailing28&from={Today}&to={Today}"))!["series"]![0]!;
        var weeks = (await api.GetFromJsonAsync<JsonObject>($"api/scores?scope=store:{world.Main}&period=week&from={DateOnly.ParseExact(Today, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(-175):yyyy-MM-dd}&to={Today}"))!["series"]!.AsArray();
        await using var context = await DesktopAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/dashboard?lang=en");
        await page.GetByTestId("key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var overview = page.GetByTestId("overview");
        await Expect(page.GetByTestId("store-name")).ToHaveTextAsync("Kavárna Masarykova");
        await Expect(overview.GetByTestId("nps")).ToHaveAttributeAsync("data-value", Raw(point["nps"]!));
        await Expect(overview.GetByTestId("nps")).ToHaveTextAsync(Whole(point["nps"]!));
        var interval = overview.GetByTestId("interval");
        await Expect(interval).ToHaveAttributeAsync("data-low", Raw(point["interval"]![0]!));
        await Expect(interval).ToHaveAttributeAsync("data-high", Raw(point["interval"]![1]!));
        await Expect(interval).ToContainTextAsync($"95 % interval {Whole(point["interval"]![0]!)} to {Whole(point["interval"]![1]!)}");
        await Expect(overview.GetByTestId("n")).ToHaveTextAsync($"n = {point["n"]!.GetValue<long>()}");
        await Expect(overview.GetByTestId("change")).ToHaveAttributeAsync("data-significant", point["change"]!["significant"]!.GetValue<bool>() ? "true" : "false");

        // One dot per week with answers, a band (the interval) behind the line.
        var chart = page.GetByTestId("chart");
        await Expect(chart.Locator("circle.dot")).ToHaveCountAsync(weeks.Count(w => w!["nps"] is not null));
        await Expect(chart.GetByTestId("band").First).ToBeVisibleAsync();
        Assert.Matches(@"^(\d+(\.\d+)?,\d+(\.\d+)? ){3,}", await chart.GetByTestId("band").First.GetAttributeAsync("points") + " ");
        await Expect(chart.GetByTestId("line").First).ToBeVisibleAsync();
        Assert.Equal(26, weeks.Count);

        // The touchpoint and reward split, the comments newest first, as the API gives them.
        var breakdown = (await api.GetFromJsonAsync<JsonObject>($"api/scores/breakdown?scope=store:{world.Main}&period=trailing28&date={Today}"))!["breakdown"]!;
        await Expect(page.Locator("[data-split='kiosk'] td").First).ToHaveAttributeAsync("data-value",
            Raw(breakdown["touchpoints"]!.AsArray().Single(t => t!["touchpoint"]!.GetValue<string>() == "kiosk")!["score"]!["nps"]!));
        await Expect(page.Locator("[data-split='rewarded'] td").Last).ToHaveTextAsync(breakdown["rewarded"]!["n"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture));
        var comments = (await api.GetFromJsonAsync<JsonObject>($"api/comments?storeId={world.Main}&limit=20"))!["items"]!.AsArray();
        await Expect(page.GetByTestId("comments").Locator(".comment")).ToHaveTextAsync([.. comments.Select(c => c!["text"]!.GetValue<string>())]);
        Assert.Equal("Na objednávku jsme čekali 25 minut.", comments[0]!["text"]!.GetValue<string>());

        await page.ScreenshotAsync(new() { Path = SurveyTests.Screenshot("dashboard-store.png"), FullPage = true });
    }

    [Fact]
    public async Task StoreKey_FromALink_ResolvesACaseFromTheInbox_InPlace()
    {
        var world = await WorldAsync();
        var key = await app.CreateKeyAsync($"store:{world.Main}");
        await using var context = await PhoneAsync("cs-CZ");
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/dashboard#key={Uri.EscapeDataString(key)}");

        var inbox = page.GetByTestId("inbox");
        await Expect(inbox.Locator("li.case")).ToHaveCountAsync(3);
        // The overdue case first, marked; then by deadline.
        await Expect(inbox.Locator("li.case").First.GetByTestId("overdue")).ToHaveTextAsync("Po termínu");
        await Expect(inbox.Locator("li.case").First.Locator(".comment")).ToHaveTextAsync("Obsluha byla nepříjemná.");
        await Expect(inbox.GetByTestId("overdue")).ToHaveCountAsync(1);
        Assert.DoesNotContain("key=", page.Url, StringComparison.Ordinal);
        Assert.Equal(key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('feedback.dashboard.key')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        var first = inbox.Locator("li.case", new() { Has = page.GetByTestId("contact") });
        await Expect(first.GetByTestId("contact")).ToContainTextAsync("jana.novakova@example.cz");
        await Expect(first.Locator(".comment")).ToHaveTextAsync("Káva byla studená a nikdo se neomluvil.");
        await inbox.ScrollIntoViewIfNeededAsync();
        await inbox.ScreenshotAsync(new() { Path = SurveyTests.Screenshot("dashboard-inbox.png") });

        var caseId = await first.GetAttributeAsync("data-case");
        await first.GetByTestId("note").FillAsync("Omluvili jsme se a poslali poukaz.");
        await first.GetByTestId("resolved").ClickAsync();

        var resolved = inbox.Locator($"li.case[data-case='{caseId}']");
        await Expect(resolved).ToHaveAttributeAsync("data-status", "resolved");
        await Expect(resolved.Locator(".notes li").Last).ToContainTextAsync("Omluvili jsme se a poslali poukaz.");
        await Expect(resolved.GetByTestId("resolved")).ToHaveCountAsync(0);
        using var client = app.Client(admin: true);
        var stored = (await client.GetFromJsonAsync<JsonObject>($"api/cases/{caseId}"))!;
        Assert.Equal("resolved", stored["status"]!.GetValue<string>());
        Assert.Equal("Omluvili jsme se a poslali poukaz.", stored["notes"]!.AsArray()[^1]!["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task StoreKey_OnAnotherStore_ShowsTheNoAccessView()
    {
        var world = await WorldAsync();
        var key = await app.CreateKeyAsync($"store:{world.Main}", "viewer");
        await using var context = await DesktopAsync("sk-SK");
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/dashboard?store={world.Second}#key={Uri.EscapeDataString(key)}");

        await Expect(page.GetByTestId("no-access")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("no-access").Locator("h1")).ToHaveTextAsync("Bez prístupu");
        await Expect(page.GetByTestId("overview")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("inbox")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task RegionKey_Overview_RanksOnlyWhereIntervalsSeparate_AndExportsTheFiguresShown()
    {
        var world = await WorldAsync();
        await using var questions = await app.SegmentQuestionsAsync();
        var key = await app.CreateKeyAsync($"region:{world.Region}", "viewer", "Brno area");
        using var api = app.BearerClient(key);
        var ranking = (await api.GetFromJsonAsync<JsonObject>($"api/scores/stores?period=trailing28&date={Today}"))!["stores"]!.AsArray();
        var region = (await api.GetFromJsonAsync<JsonObject>($"api/scores?scope=region:{world.Region}&period=trailing28&from={Today}&to={Today}"))!["series"]![0]!;
        await using var context = await DesktopAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/dashboard?lang=en#key={Uri.EscapeDataString(key)}");

        await Expect(page.GetByTestId("overview").GetByTestId("nps")).ToHaveAttributeAsync("data-value", Raw(region["nps"]!));
        var rows = page.GetByTestId("stores").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        Assert.Equal(new[] { world.Main, world.Second, world.Third }.Order(StringComparer.Ordinal), ranking.Select(s => s!["storeId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var store in ranking)
        {
            var rank = store!["rank"]?.GetValue<int>();
            var shared = rank is not null && ranking.Count(s => s!["rank"]?.GetValue<int>() == rank) > 1;
            await Expect(page.Locator($"tr[data-store='{store["storeId"]!.GetValue<string>()}'] [data-testid='rank']"))
                .ToHaveTextAsync(rank is null || shared ? "" : rank.Value.ToString(CultureInfo.InvariantCulture));
        }

        await Expect(page.GetByTestId("chart").GetByTestId("band").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = SurveyTests.Screenshot("dashboard-overview.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("csv").ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("section,label,period,n,nps,low,high,marginOfError,lowConfidence,change,significant,csat,csatN,ces,cesN", lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"overview,region:{world.Region},{Today},{region["n"]!.GetValue<long>()},{Raw(region["nps"]!)},", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => l.StartsWith("stores,", StringComparison.Ordinal)));
        Assert.Equal(26, lines.Count(l => l.StartsWith("weekly,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ARevokedKey_IsAskedToSignInAgain()
    {
        var world = await WorldAsync();
        using var admin = app.Client(admin: true);
        using var created = await admin.PostAsJsonAsync("api/access-keys", new { name = "Temp", scope = $"store:{world.Main}", role = "manager" });
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        using var revoked = await admin.DeleteAsync($"api/access-keys/{body["id"]!.GetValue<string>()}");
        await using var context = await DesktopAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/dashboard?lang=en#key={Uri.EscapeDataString(body["key"]!.GetValue<string>())}");

        await Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("unknown or has been revoked");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('feedback.dashboard.key')"));
    }

    /// <summary>A number as JavaScript writes it into an attribute: the shortest round-trip form.</summary>
    internal static string Raw(JsonNode number) => number.GetValue<double>().ToString("R", CultureInfo.InvariantCulture);

    internal static string Whole(JsonNode number) =>
        Math.Round(number.GetValue<double>(), MidpointRounding.AwayFromZero) is var rounded && rounded == 0 ? "0" : rounded.ToString(CultureInfo.InvariantCulture);
}
