using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.Hosting;
using Feedback.Functions.Processing;
using Feedback.Functions.Scores;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Segments;

/// <summary>
/// Known answers through the real app (token answers over HTTP, processed from the queue, rolled up), then the segment,
/// driver and journey figures read back. Expected values are worked by hand from docs/scores.md, noted beside each.
/// </summary>
public sealed class BreakdownFlowTests(AppFixture app) : IClassFixture<AppFixture>
{
    private sealed record Given(string Touchpoint, int Score, string? Visit, string[] Reasons, string? Journey);

    // 16 answers of one store-day. Totals: 10 promoters, 2 passives, 4 detractors.
    private static readonly Given[] Answers =
    [
        new("web", 10, "first", ["staff"], "j1"),
        new("store", 9, "first", ["staff", "quality"], "j1"),
        new("web", 9, "regular", ["quality"], "j2"),
        new("store", 3, "regular", ["speed", "price"], "j2"),
        new("web", 6, "first", ["speed"], "j3"),
        new("delivery", 10, "regular", [], "j4"),
        new("store", 2, "first", ["speed"], null),
        new("store", 8, null, ["price"], null),
        new("store", 0, "first", ["speed", "parking"], null),
        new("store", 7, "regular", [], null),
        .. Enumerable.Repeat(new Given("store", 10, "regular", [], null), 6),
    ];

    private async Task<(string Store, string Region, string Date)> AnswerAllAsync()
    {
        using (var put = await app.AdminClient().PutAsJsonAsync("/api/segments", SegmentsApiTests.Visit))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var region = Api.NewStoreId();
        var store = await app.CreateStoreAsync(region: region);
        var tokens = new Dictionary<string, string>();
        foreach (var touchpoint in Answers.Select(a => a.Touchpoint).Distinct())
        {
            tokens[touchpoint] = await app.MintTokenAsync(store, touchpoint);
        }

        var statusUrls = new List<string>();
        foreach (var a in Answers)
        {
            var segments = a.Visit is null ? null : new Dictionary<string, string> { ["visit"] = a.Visit };
            statusUrls.Add(await app.SubmitAcceptedAsync(new { token = tokens[a.Touchpoint], score = a.Score, reasons = a.Reasons, segments, journeyId = a.Journey }));
        }

        foreach (var url in statusUrls)
        {
            await app.WaitForStatusAsync(url);
        }

        await app.App.Services.GetRequiredService<ScoreAggregator>().RunAsync(rebuild: false, CancellationToken.None);
        return (store, region, Api.TodayIn("Europe/Prague").ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<JsonObject> GetAsync(string url)
    {
        using var response = await app.AdminClient().GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static double D(JsonNode? node) => node!.GetValue<double>();

    [Fact]
    public async Task KnownAnswers_GiveExactSegmentDriverAndJourneyFigures_InTheStoreAndTheChain()
    {
        var (store, region, date) = await AnswerAllAsync();

        // Stored counts first: the store-day's shards hold each answer once.
        var (all, _, answered) = await app.CountersAsync(store, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(16, answered);
        Assert.Equal(2, all.Breakdown["s.visit.first.p"]);
        Assert.Equal(3, all.Breakdown["s.visit.first.d"]);
        Assert.Equal(4, all.Breakdown["r.speed.d"]);
        Assert.Equal(4, all.Breakdown["rq.d"]);
        Assert.Equal(3, all.Breakdown["rq.p"]);
        Assert.Equal(6, all.Breakdown["j.n"]);

        foreach (var scope in new[] { $"store:{store}", $"region:{region}" })
        {
            await AssertSegmentsAsync(await GetAsync($"/api/scores/segments?scope={scope}&period=day&date={date}&segment=visit"));
            await AssertDriversAsync(await GetAsync($"/api/scores/drivers?scope={scope}&period=day&date={date}"));
            await AssertJourneysAsync(await GetAsync($"/api/journeys?scope={scope}&period=day&date={date}"));
        }

        // A rebuild from every counter shard and journey row restates the same figures.
        await app.App.Services.GetRequiredService<ScoreAggregator>().RunAsync(rebuild: true, CancellationToken.None);
        await AssertSegmentsAsync(await GetAsync($"/api/scores/segments?scope=region:{region}&period=day&date={date}&segment=visit"));
        await AssertDriversAsync(await GetAsync($"/api/scores/drivers?scope=region:{region}&period=month&date={date}"));
        await AssertJourneysAsync(await GetAsync($"/api/journeys?scope=region:{region}&period=day&date={date}"));

        // The same counts roll up into the week and the trailing 28 days.
        var week = await GetAsync($"/api/scores/segments?scope=store:{store}&period=week&date={date}&segment=visit");
        Assert.Equal(10, week["options"]![1]!["n"]!.GetValue<long>());
        var trailing = await GetAsync($"/api/journeys?scope=store:{store}&period=trailing28&date={date}");
        Assert.Equal(4, trailing["observed"]!["journeys"]!.GetValue<long>());
    }

    private static Task AssertSegmentsAsync(JsonObject body)
    {
        Assert.Equal(16, body["n"]!.GetValue<long>());
        Assert.Equal(1, body["unanswered"]!.GetValue<long>());   // the passive who skipped the question
        var first = body["options"]![0]!;
        var regular = body["options"]![1]!;

        // first: 2 promoters, 0 passives, 3 detractors → NPS −20; adjusted Wald: n' 8, p' 2.75/8, d' 3.75/8 → centre −12.5, margin 61.859
        Assert.Equal(("first", 5L, 2L, 0L, 3L), (first["value"]!.GetValue<string>(), first["n"]!.GetValue<long>(), first["promoters"]!.GetValue<long>(),
            first["passives"]!.GetValue<long>(), first["detractors"]!.GetValue<long>()));
        Assert.Equal(-20, D(first["nps"]), 9);
        Assert.Equal(-74.359, D(first["interval"]![0]), 3);
        Assert.Equal(49.359, D(first["interval"]![1]), 3);
        Assert.True(first["lowConfidence"]!.GetValue<bool>());
        // against the rest (8 P, 2 Pa, 1 D: NPS 63.64): delta −83.64, z = −0.8364/√(0.96/5 + 0.41322/11) = −1.746: not at 95%
        Assert.Equal(-83.636, D(first["vsRest"]!["delta"]), 3);
        Assert.Equal(-1.746, D(first["vsRest"]!["z"]), 3);
        Assert.False(first["differs"]!.GetValue<bool>());

        // regular: 8 P, 1 Pa, 1 D → NPS 70, interval [14.731, 92.961]; rest (2 P, 1 Pa, 3 D: −16.67): delta 86.67, z 2.070: differs
        Assert.Equal((10L, 8L, 1L, 1L), (regular["n"]!.GetValue<long>(), regular["promoters"]!.GetValue<long>(), regular["passives"]!.GetValue<long>(),
            regular["detractors"]!.GetValue<long>()));
        Assert.Equal(70, D(regular["nps"]), 9);
        Assert.Equal(14.731, D(regular["interval"]![0]), 3);
        Assert.Equal(92.961, D(regular["interval"]![1]), 3);
        Assert.Equal(86.667, D(regular["vsRest"]!["delta"]), 3);
        Assert.Equal(2.070, D(regular["vsRest"]!["z"]), 3);
        Assert.True(regular["differs"]!.GetValue<bool>());
        Assert.Equal("Regular", regular["title"]!["cs"]!.GetValue<string>());
        return Task.CompletedTask;
    }

    private static Task AssertDriversAsync(JsonObject body)
    {
        // Base: 4 detractors and 3 promoters chose a counted reason ("parking" is not one; the passive with "price" is neither).
        Assert.Equal((4L, 3L), (body["detractorsWithReasons"]!.GetValue<long>(), body["promotersWithReasons"]!.GetValue<long>()));
        var reasons = body["reasons"]!.AsArray();
        Assert.Equal(["speed", "price", "atmosphere", "cleanliness", "quality", "staff"], reasons.Select(r => r!["reason"]!.GetValue<string>()));

        // speed: 4/4 detractors, 0/3 promoters → +100 points; Agresti–Caffo 5/6 − 1/5 ± 0.46028 → [17.305, 100]: significant
        var speed = reasons[0]!;
        Assert.Equal((4L, 0L), (speed["detractors"]!.GetValue<long>(), speed["promoters"]!.GetValue<long>()));
        Assert.Equal(100, D(speed["detractorShare"]!["share"]), 9);
        Assert.Equal(44.994, D(speed["detractorShare"]!["low"]), 3);
        Assert.Equal(0, D(speed["promoterShare"]!["share"]), 9);
        Assert.Equal(62.038, D(speed["promoterShare"]!["high"]), 3);
        Assert.Equal(100, D(speed["difference"]!["difference"]), 9);
        Assert.Equal(17.305, D(speed["difference"]!["low"]), 3);
        Assert.Equal(100, D(speed["difference"]!["high"]), 9);
        Assert.True(speed["difference"]!["significant"]!.GetValue<bool>());

        // price: 1/4 against 0/3 → +25, interval [−38.165, 64.832]: not significant
        var price = reasons[1]!;
        Assert.Equal(25, D(price["difference"]!["difference"]), 9);
        Assert.Equal(-38.165, D(price["difference"]!["low"]), 3);
        Assert.Equal(64.832, D(price["difference"]!["high"]), 3);
        Assert.False(price["difference"]!["significant"]!.GetValue<bool>());

        // staff: 0/4 against 2/3 → −66.67, interval [−95.614, 8.947]: includes 0
        var staff = reasons[5]!;
        Assert.Equal(-66.667, D(staff["difference"]!["difference"]), 3);
        Assert.Equal(-95.614, D(staff["difference"]!["low"]), 3);
        Assert.Equal(8.947, D(staff["difference"]!["high"]), 3);
        Assert.False(staff["difference"]!["significant"]!.GetValue<bool>());
        return Task.CompletedTask;
    }

    private static Task AssertJourneysAsync(JsonObject body)
    {
        // Steps: web 2 of 3 satisfied, store 1 of 2, delivery 1 of 1 (touchpoint order).
        var steps = body["steps"]!.AsArray();
        Assert.Equal([("store", 2L, 1L), ("web", 3L, 2L), ("delivery", 1L, 1L)],
            steps.Select(s => (s!["touchpoint"]!.GetValue<string>(), s["n"]!.GetValue<long>(), s["satisfied"]!.GetValue<long>())));
        Assert.Equal(9.992, D(steps[0]!["share"]!["low"]), 3);   // 1 of 2: (3/6) ± 0.40008

        // 2/3 × 1/2 × 1 = 33.33%; delta method on adjusted shares 4/7, 3/6, 3/5 → margin 0.214394 → [11.894, 54.773]
        Assert.Equal(33.333, D(body["journey"]!["product"]), 3);
        Assert.Equal(11.894, D(body["journey"]!["low"]), 3);
        Assert.Equal(54.773, D(body["journey"]!["high"]), 3);
        Assert.Equal("delta", body["method"]!.GetValue<string>());

        // Journeys: j1 (10, 9) and j4 (10) every step satisfied; j2 (9, 3) and j3 (6) not → 2 of 4 = 50%, [15.352, 84.648]
        Assert.Equal((4L, 2L), (body["observed"]!["journeys"]!.GetValue<long>(), body["observed"]!["everyStepSatisfied"]!.GetValue<long>()));
        Assert.Equal(50, D(body["observed"]!["share"]!["share"]), 9);
        Assert.Equal(15.352, D(body["observed"]!["share"]!["low"]), 3);
        Assert.Equal("store", body["weakestStep"]!.GetValue<string>());
        Assert.False(body["weakestClearly"]!.GetValue<bool>());   // its interval overlaps the others'
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ARedeliveredAnswer_CountsItsSegmentsReasonsAndJourneyOnce()
    {
        var store = await app.CreateStoreAsync();
        var at = DateTimeOffset.UtcNow;
        var message = new FeedbackSubmitted("redeliver-" + Guid.NewGuid().ToString("N")[..8], store, Touchpoint.Web, AnswerSource.Token, null, null, null,
            new NpsScore(4), null, null, ["speed"], null, "cs", at, at, "journey/with?odd#chars", null, null, Segments: new Dictionary<string, string> { ["visit"] = "first" });
        for (var delivery = 1; delivery <= 3; delivery++)
        {
            using var scope = app.App.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<ProcessFeedbackFunction>().RunAsync(
                new QueueTrigger(System.Text.Json.JsonSerializer.Serialize(message, MessageQueue.Json), "m", delivery, at), CancellationToken.None);
        }

        var day = Api.TodayIn("Europe/Prague");
        var (all, _, answered) = await app.CountersAsync(store, day);
        Assert.Equal(1, answered);
        Assert.Equal(
            new Dictionary<string, long> { ["j.n"] = 1, ["r.speed.d"] = 1, ["rq.d"] = 1, ["s.visit.first.d"] = 1 },
            all.Breakdown.Counts.ToDictionary());
        await app.App.Services.GetRequiredService<ScoreAggregator>().RunAsync(rebuild: false, CancellationToken.None);
        var journeys = await GetAsync($"/api/journeys?scope=store:{store}&period=day&date={day:yyyy-MM-dd}");
        Assert.Equal((1L, 0L), (journeys["observed"]!["journeys"]!.GetValue<long>(), journeys["observed"]!["everyStepSatisfied"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Figures_WithABadQuery_Are400NamingTheParameter()
    {
        using var client = app.AdminClient();
        using var segment = await client.GetAsync("/api/scores/segments?scope=chain&period=day&date=2026-11-10&segment=nope");
        using var drivers = await client.GetAsync("/api/scores/drivers?scope=planet&period=year&date=2026-11-10");
        using var journeys = await client.GetAsync("/api/journeys?scope=chain&period=day&date=2026-13-40");
        using var missing = await client.GetAsync("/api/journeys?scope=store:no-such-store&period=day&date=2026-11-10");

        Assert.Equal(["segment"], (await segment.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(["period", "scope"], (await drivers.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["date"], (await journeys.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
