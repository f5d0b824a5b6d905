using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Feedback.BrowserTests.DashboardTests;
using static Microsoft.Playwright.Assertions;

namespace Feedback.BrowserTests;

/// <summary>The dashboard's segment, driver and journey panels against the seeded region: the API's figures and markers, as given.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardPanelsTests(BrowserFixture app)
{
    static DashboardPanelsTests() => SetDefaultExpectTimeout(20_000);

    private static string Period(string route, string scope) => $"{route}?scope={scope}&period=trailing28&date={Today}";

    [Fact]
    public async Task StoreKey_StorePage_ShowsSegmentsDriversAndJourneys_ExactlyAsTheApiGivesThem_MarkedWhereTheApiSays()
    {
        var world = await app.DashboardWorldAsync();
        await using var questions = await app.SegmentQuestionsAsync();
        var key = await app.CreateKeyAsync($"store:{world.Main}");
        using var api = app.BearerClient(key);
        var scope = $"store:{world.Main}";
        var segments = (await api.GetFromJsonAsync<JsonObject>(Period("api/scores/segments", scope) + "&segment=visit"))!;
        var drivers = (await api.GetFromJsonAsync<JsonObject>(Period("api/scores/drivers", scope)))!;
        var journeys = (await api.GetFromJsonAsync<JsonObject>(Period("api/journeys", scope)))!;
        var options = segments["options"]!.AsArray();
        var reasons = drivers["reasons"]!.AsArray().Where(r => r!["difference"] is not null).ToList();
        var steps = journeys["steps"]!.AsArray();
        // The seeded answers make both kinds of each marker: a test where every row is marked (or none) could not tell.
        Assert.Contains(options, o => o!["differs"]!.GetValue<bool>());
        Assert.Contains(options, o => !o!["differs"]!.GetValue<bool>());
        Assert.Contains(reasons, r => r!["difference"]!["significant"]!.GetValue<bool>());
        Assert.Contains(reasons, r => !r!["difference"]!["significant"]!.GetValue<bool>());
        Assert.Equal(["delivery", "store"], steps.Select(s => s!["touchpoint"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        await using var context = await DesktopAsync(app);
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/dashboard?lang=en#key={Uri.EscapeDataString(key)}");

        var segmentPanel = page.GetByTestId("segments");
        await Expect(segmentPanel.Locator("h3")).ToHaveTextAsync("Is this your first visit?");
        await Expect(segmentPanel.Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(segmentPanel.GetByTestId("differs")).ToHaveCountAsync(options.Count(o => o!["differs"]!.GetValue<bool>()));
        foreach (var option in options)
        {
            var row = segmentPanel.Locator($"tr[data-option='{option!["value"]!.GetValue<string>()}']");
            await Expect(row.Locator("th")).ToHaveTextAsync(option["title"]!["en"]!.GetValue<string>());
            await Expect(row.GetByTestId("nps")).ToHaveAttributeAsync("data-value", Raw(option["nps"]!));
            await Expect(row.GetByTestId("nps")).ToContainTextAsync(Whole(option["nps"]!));
            await Expect(row.GetByTestId("interval")).ToHaveAttributeAsync("data-low", Raw(option["interval"]![0]!));
            await Expect(row.GetByTestId("interval")).ToHaveAttributeAsync("data-high", Raw(option["interval"]![1]!));
            await Expect(row.GetByTestId("interval")).ToHaveTextAsync($"{Whole(option["interval"]![0]!)} … {Whole(option["interval"]![1]!)}");
            await Expect(row.GetByTestId("n")).ToHaveTextAsync(option["n"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture));
            await Expect(row.GetByTestId("differs")).ToHaveCountAsync(option["differs"]!.GetValue<bool>() ? 1 : 0);
            await Expect(row.GetByTestId("low-confidence")).ToHaveCountAsync(option["lowConfidence"]!.GetValue<bool>() ? 1 : 0);
        }

        // Reasons in the API's order, named as the survey names them, "significant" exactly where the API says.
        var driverRows = page.GetByTestId("drivers").Locator("tbody tr");
        await Expect(driverRows).ToHaveCountAsync(reasons.Count);
        var surveyReasons = await page.EvaluateAsync<Dictionary<string, string>>("async () => (await (await fetch(document.body.dataset.surveyI18n)).json()).reasons");
        Assert.Equal("Speed", surveyReasons["speed"]);
        for (var i = 0; i < reasons.Count; i++)
        {
            var reason = reasons[i]!;
            var row = driverRows.Nth(i);
            await Expect(row).ToHaveAttributeAsync("data-reason", reason["reason"]!.GetValue<string>());
            await Expect(row.Locator("th")).ToHaveTextAsync(surveyReasons[reason["reason"]!.GetValue<string>()]);
            await Expect(row.GetByTestId("detractor-share")).ToHaveAttributeAsync("data-value", Raw(reason["detractorShare"]!["share"]!));
            await Expect(row.GetByTestId("detractor-share")).ToHaveAttributeAsync("data-high", Raw(reason["detractorShare"]!["high"]!));
            await Expect(row.GetByTestId("promoter-share")).ToHaveAttributeAsync("data-value", Raw(reason["promoterShare"]!["share"]!));
            await Expect(row.GetByTestId("promoter-share")).ToContainTextAsync($"{Whole(reason["promoterShare"]!["share"]!)} %");
            var difference = row.GetByTestId("difference");
            await Expect(difference).ToHaveAttributeAsync("data-value", Raw(reason["difference"]!["difference"]!));
            await Expect(difference).ToHaveAttributeAsync("data-low", Raw(reason["difference"]!["low"]!));
            await Expect(difference).ToHaveAttributeAsync("data-high", Raw(reason["difference"]!["high"]!));
            await Expect(difference).ToContainTextAsync($"{Whole(reason["difference"]!["low"]!)} … {Whole(reason["difference"]!["high"]!)}");
            await Expect(row.GetByTestId("significant")).ToHaveCountAsync(reason["difference"]!["significant"]!.GetValue<bool>() ? 1 : 0);
        }

        await Expect(page.GetByTestId("drivers-n")).ToHaveTextAsync(
            $"Of {drivers["detractorsWithReasons"]!.GetValue<long>()} detractors and {drivers["promotersWithReasons"]!.GetValue<long>()} promoters who chose any reason.");

        // Each step's share with n and interval, the product with its interval, the observed share, the weakest step.
        var journeyPanel = page.GetByTestId("journeys");
        foreach (var step in steps)
        {
            var row = journeyPanel.Locator($"tr[data-step='{step!["touchpoint"]!.GetValue<string>()}']");
            await Expect(row.GetByTestId("step-share")).ToHaveAttributeAsync("data-value", Raw(step["share"]!["share"]!));
            await Expect(row.GetByTestId("step-share")).ToHaveAttributeAsync("data-low", Raw(step["share"]!["low"]!));
            await Expect(row.GetByTestId("step-share")).ToHaveAttributeAsync("data-high", Raw(step["share"]!["high"]!));
            await Expect(row.GetByTestId("n")).ToHaveTextAsync(step["n"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture));
        }

        var weakest = journeyPanel.GetByTestId("weakest");
        await Expect(weakest).ToHaveCountAsync(1);
        await Expect(journeyPanel.Locator($"tr[data-step='{journeys["weakestStep"]!.GetValue<string>()}'] [data-testid='weakest']")).ToHaveCountAsync(1);
        var clearly = journeys["weakestClearly"]!.GetValue<bool>();
        await Expect(weakest).ToHaveAttributeAsync("data-clearly", clearly ? "true" : "false");
        await Expect(weakest).ToHaveTextAsync(clearly ? "clearly weakest" : "lowest share");
        var product = journeyPanel.GetByTestId("journey-product");
        await Expect(product).ToHaveAttributeAsync("data-value", Raw(journeys["journey"]!["product"]!));
        await Expect(product).ToHaveAttributeAsync("data-low", Raw(journeys["journey"]!["low"]!));
        await Expect(product).ToHaveAttributeAsync("data-high", Raw(journeys["journey"]!["high"]!));
        await Expect(product).ToContainTextAsync($"{Whole(journeys["journey"]!["product"]!)} %");
        var observed = journeyPanel.GetByTestId("journey-observed");
        await Expect(observed).ToHaveAttributeAsync("data-value", Raw(journeys["observed"]!["share"]!["share"]!));
        await Expect(observed).ToHaveAttributeAsync("data-n", journeys["observed"]!["journeys"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture));
        await Expect(observed).ToContainTextAsync(
            $"{journeys["observed"]!["everyStepSatisfied"]!.GetValue<long>()} of {journeys["observed"]!["journeys"]!.GetValue<long>()} journeys");

        // The export holds each option's figures as the API gave them.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("csv").ClickAsync());
        var lines = (await File.ReadAllTextAsync(await download.PathAsync())).TrimEnd('\n').Split('\n');
        foreach (var option in options)
        {
            var vsRest = option!["vsRest"]!;
            Assert.Contains($"segment,visit:{option["value"]!.GetValue<string>()},{Today},{option["n"]!.GetValue<long>()},{Raw(option["nps"]!)},{Raw(option["interval"]![0]!)},{Raw(option["interval"]![1]!)},"
                + $"{Raw(option["marginOfError"]!)},{(option["lowConfidence"]!.GetValue<bool>() ? "true" : "false")},{Raw(vsRest["delta"]!)},{(vsRest["significant"]!.GetValue<bool>() ? "true" : "false")},,,,", lines);
        }
    }

    [Fact]
    public async Task StoreKey_OnAPhone_ShowsThePanelsInCzech_WithoutSidewaysScrolling()
    {
        var world = await app.DashboardWorldAsync();
        await using var questions = await app.SegmentQuestionsAsync();
        var key = await app.CreateKeyAsync($"store:{world.Main}");
        await using var context = await app.PhoneAsync("cs-CZ");
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/dashboard#key={Uri.EscapeDataString(key)}");

        await Expect(page.GetByTestId("segments").Locator("tr[data-option='first'] th")).ToHaveTextAsync("Poprvé");
        await Expect(page.GetByTestId("drivers").Locator("tr[data-reason='speed'] th")).ToHaveTextAsync("Rychlost");
        await Expect(page.GetByTestId("journeys").Locator("tr[data-step='delivery'] th")).ToContainTextAsync("Rozvoz");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        var top = await page.GetByTestId("segments").BoundingBoxAsync();
        var bottom = await page.GetByTestId("journeys").BoundingBoxAsync();
        await page.ScreenshotAsync(new()
        {
            Path = SurveyTests.Screenshot("dashboard-panels-phone.png"),
            FullPage = true,
            Clip = new() { X = 0, Y = top!.Y - 8, Width = 390, Height = bottom!.Y + bottom.Height - top.Y + 16 },
        });
    }

    [Fact]
    public async Task StoreKey_OfAStoreWithoutAnswers_ShowsNotEnoughAnswersYet_InEachPanel()
    {
        await app.DashboardWorldAsync();
        await using var questions = await app.SegmentQuestionsAsync();
        var store = await app.CreateStoreAsync(languages: ["en"]);
        var key = await app.CreateKeyAsync($"store:{store}");
        await using var context = await DesktopAsync(app);
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/dashboard?lang=en#key={Uri.EscapeDataString(key)}");

        foreach (var panel in new[] { "segments", "drivers", "journeys" })
        {
            await Expect(page.GetByTestId(panel).GetByTestId("empty")).ToHaveTextAsync("Not enough answers yet.");
            await Expect(page.GetByTestId(panel).Locator("table")).ToHaveCountAsync(0);
        }
    }
}
