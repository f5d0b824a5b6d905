using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.Scores;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Scores;

/// <summary>What the dashboard's store page shows beyond the series: a touchpoint and reward split, and the latest comments.</summary>
public sealed class ScoreBreakdownTests(ScoreTestData.Fixture app) : IClassFixture<ScoreTestData.Fixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 10, 11, 0, 0, TimeSpan.Zero);

    private Task<AggregationResult> AggregateAsync() => app.App.Services.GetRequiredService<ScoreAggregator>().RunAsync(rebuild: false, CancellationToken.None);

    [Fact]
    public async Task Breakdown_SplitsTheWindowByTouchpointAndReward_WithTheSameFiguresAsTheFilteredSeries()
    {
        var store = await app.CreateStoreAsync();
        // Window ending 2026-11-10: kiosk 10, 10, 3; receipt/poster QR 9, 0. The window before: one kiosk 0.
        foreach (var score in new[] { 10, 10, 3 })
        {
            await app.AnswerAsync(store, Noon.AddDays(-3), score, Touchpoint.Kiosk);
        }

        await app.AnswerAsync(store, Noon, 9);
        await app.AnswerAsync(store, Noon.AddDays(-1), 0);
        await app.AnswerAsync(store, Noon.AddDays(-30), 0, Touchpoint.Kiosk);
        await app.AnswerAsync(store, Noon.AddDays(1), 10, Touchpoint.Web);   // after the window: no web row
        await AggregateAsync();

        var body = (await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/scores/breakdown?scope=store:{store}&period=trailing28&date=2026-11-10"))!;
        var breakdown = body["breakdown"]!;
        var touchpoints = breakdown["touchpoints"]!.AsArray().ToDictionary(t => t!["touchpoint"]!.GetValue<string>(), t => t!["score"]!);

        Assert.Equal(["kiosk", "store"], touchpoints.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((3L, 100.0 * 1 / 3), (touchpoints["kiosk"]["n"]!.GetValue<long>(), touchpoints["kiosk"]["nps"]!.GetValue<double>()));
        Assert.Equal((2L, 0.0), (touchpoints["store"]["n"]!.GetValue<long>(), touchpoints["store"]["nps"]!.GetValue<double>()));
        Assert.Equal(100.0 * 1 / 3 - -100.0, touchpoints["kiosk"]["change"]!["delta"]!.GetValue<double>(), 9);
        Assert.Equal(5, breakdown["all"]!["n"]!.GetValue<long>());
        Assert.Equal(0, breakdown["rewarded"]!["n"]!.GetValue<long>());
        Assert.Equal(5, breakdown["unrewarded"]!["n"]!.GetValue<long>());

        // The same window through the filtered series: the split is the one score code, not a second calculation.
        foreach (var (touchpoint, point) in touchpoints)
        {
            var series = (await app.SeriesAsync($"store:{store}", "trailing28", "2026-11-10", "2026-11-10", "&touchpoint=" + touchpoint))[0]!;
            Assert.True(JsonNode.DeepEquals(series, point), $"{touchpoint}: {series.ToJsonString()} vs {point.ToJsonString()}");
        }

        var unrewarded = (await app.SeriesAsync($"store:{store}", "trailing28", "2026-11-10", "2026-11-10", "&rewarded=false"))[0]!;
        Assert.True(JsonNode.DeepEquals(unrewarded, breakdown["unrewarded"]));
    }

    [Theory]
    [InlineData("scope=galaxy&period=day&date=2026-11-10", "scope")]
    [InlineData("scope=chain&period=year&date=2026-11-10", "period")]
    [InlineData("scope=chain&period=day&date=10.11.2026", "date")]
    public async Task Breakdown_WithABadQuery_NamesTheField(string query, string field)
    {
        using var response = await app.AdminClient().GetAsync("/api/scores/breakdown?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.ProblemAsync())["errors"]![field]);
    }

    [Fact]
    public async Task Comments_AreTheNewestFirst_TextOnly_WithinTheDays_UpToTheLimit()
    {
        var store = await app.CreateStoreAsync();
        await app.AnswerAsync(store, Noon.AddDays(-2), 3, comment: "Older", email: "jana@example.cz");
        await app.AnswerAsync(store, Noon, 9, comment: "Newest");
        await app.AnswerAsync(store, Noon.AddHours(-1), 7, Touchpoint.Kiosk, comment: "Middle");
        await app.AnswerAsync(store, Noon.AddHours(-2), 8, comment: null);
        await app.AnswerAsync(store, Noon.AddDays(-8), 1, comment: "Outside the week");

        var week = (await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/comments?storeId={store}&to=2026-11-10&days=7"))!;
        var two = (await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/comments?storeId={store}&to=2026-11-10&days=7&limit=2"))!;
        var month = (await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/comments?storeId={store}&to=2026-11-10"))!;

        Assert.Equal(["Newest", "Middle", "Older"], Texts(week));
        Assert.Equal(["Newest", "Middle"], Texts(two));
        Assert.Equal(["Newest", "Middle", "Older", "Outside the week"], Texts(month));
        Assert.Equal(("kiosk", 7), (week["items"]![1]!["touchpoint"]!.GetValue<string>(), week["items"]![1]!["score"]!.GetValue<int>()));
        Assert.DoesNotContain("jana@example.cz", week.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("2026-11-04", week["from"]!.GetValue<string>());

        using var bad = await app.AdminClient().GetAsync($"/api/comments?storeId={store}&limit=1000");
        using var unknown = await app.AdminClient().GetAsync("/api/comments?storeId=no-such-store");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await bad.ProblemAsync())["errors"]!["limit"]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static IEnumerable<string> Texts(JsonObject list) => list["items"]!.AsArray().Select(c => c!["text"]!.GetValue<string>());
}
