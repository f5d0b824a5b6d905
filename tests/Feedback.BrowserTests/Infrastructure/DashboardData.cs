using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Hosting;
using Feedback.Functions.Processing;
using Feedback.Functions.Scores;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.BrowserTests.Infrastructure;

/// <summary>
/// A region of three cafés with 26 weeks of answers (through ProcessFeedback, as queue deliveries at chosen instants),
/// their rewards and follow-up cases processed by the app, older cases resolved, and the scores rolled up.
/// </summary>
public sealed record DashboardWorld(string Region, string Main, string Second, string Third, string OtherRegionStore);

public static class DashboardData
{
    private static readonly string[] Comments =
    [
        "Skvělá káva a milá obsluha.", "Dlouho jsme čekali na objednávku.", "Croissant byl čerstvý, děkujeme!",
        "Stůl nebyl uklizený.", "Výborný flat white.", "Příjemné místo na práci.",
    ];

    public static async Task<DashboardWorld> SeedAsync(BrowserFixture app)
    {
        var region = "brno";
        var main = await CreateStoreAsync(app, "brno-masarykova", "Kavárna Masarykova", region);
        var second = await CreateStoreAsync(app, "brno-veveri", "Kavárna Veveří", region);
        var third = await CreateStoreAsync(app, "brno-luzanky", "Kavárna Lužánky", region);
        var other = await CreateStoreAsync(app, "ostrava-stodolni", "Kavárna Stodolní", "ostrava");
        var now = DateTimeOffset.UtcNow;
        var random = new Random(16);
        // Main: NPS climbing over half a year; second: steady and high; third: few answers (wide intervals).
        for (var day = 181; day >= 0; day--)
        {
            var at = now.AddDays(-day).AddMinutes(-random.Next(0, 600));
            var promoterShare = 0.35 + (0.3 * (181 - day) / 181.0);
            for (var i = 0; i < 2; i++)
            {
                // In the last four weeks (not today: no new cases) the two answers are one journey: the receipt, then the delivery.
                var score = Score(random, promoterShare, 0.2);
                var journey = day is > 0 and < 28 ? new Journey($"j{day:D3}", i == 0 ? Touchpoint.Store : Touchpoint.Delivery) : null;
                await AnswerAsync(app, main, at.AddMinutes(-i * 7), journey?.Step == Touchpoint.Delivery ? Score(TraitRandom, promoterShare - 0.15, 0.25) : score, random,
                    comment: day < 20 && i == 0 && day % 3 == 0, journey: journey);
            }

            await AnswerAsync(app, second, at, Score(random, 0.65, 0.1), random, comment: false);
            if (day % 5 == 0)
            {
                await AnswerAsync(app, third, at, Score(random, 0.5, 0.25), random, comment: false);
            }

            if (day % 7 == 0)
            {
                await AnswerAsync(app, other, at, Score(random, 0.5, 0.2), random, comment: false);
            }
        }

        // Today's unhappy customers, waiting in the inbox: one left a phone number and an e-mail to be called back.
        await AnswerAsync(app, main, now.AddMinutes(-50), 2, random, comment: true, contact: new Contact("jana.novakova@example.cz", "+420601123456"), text: "Káva byla studená a nikdo se neomluvil.");
        await AnswerAsync(app, main, now.AddMinutes(-20), 4, random, comment: true, text: "Na objednávku jsme čekali 25 minut.");
        await AnswerAsync(app, main, now.AddMinutes(-90), 3, random, comment: true, text: "Obsluha byla nepříjemná.");
        await DrainAsync(app);
        await ResolveOlderCasesAsync(app, main, now.AddHours(-2));
        await MakeOverdueAsync(app, main, "Obsluha byla nepříjemná.");
        foreach (var store in new[] { second, third, other })
        {
            await ResolveOlderCasesAsync(app, store, now.AddDays(1));
        }

        await app.Services.GetRequiredService<ScoreAggregator>().RunAsync(rebuild: false, CancellationToken.None);
        return new DashboardWorld(region, main, second, third, other);
    }

    private static Task<DashboardWorld>? _world;
    private static readonly Lock Gate = new();

    /// <summary>The world, seeded once for every dashboard test.</summary>
    public static Task<DashboardWorld> DashboardWorldAsync(this BrowserFixture app)
    {
        lock (Gate)
        {
            return _world ??= SeedAsync(app);
        }
    }

    /// <summary>Sets <see cref="Segments"/> as the chain's questions until disposed (then none, as the other tests expect).</summary>
    public static async Task<IAsyncDisposable> SegmentQuestionsAsync(this BrowserFixture app)
    {
        await PutSegmentsAsync(app, Segments);
        return new Reset(() => PutSegmentsAsync(app, []));
    }

    private static async Task PutSegmentsAsync(BrowserFixture app, object[] questions)
    {
        using var client = app.Client(admin: true);
        using var response = await client.PutAsJsonAsync("api/segments", new { questions });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private sealed class Reset(Func<Task> reset) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await reset();
    }

    public static async Task<string> CreateKeyAsync(this BrowserFixture app, string scope, string role = "manager", string name = "Manager")
    {
        using var client = app.Client(admin: true);
        using var response = await client.PostAsJsonAsync("api/access-keys", new { name, scope, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
    }

    public static HttpClient BearerClient(this BrowserFixture app, string key)
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>
    /// The chain's segment question as the dashboard test sets it. Answers carry it, their reasons and journeys from a
    /// second generator, so the scores, comments and cases drawn from the first stay as they were.
    /// </summary>
    public static readonly object[] Segments =
    [
        new
        {
            key = "visit",
            title = new { cs = "Jste u nás poprvé?", sk = "Ste u nás prvýkrát?", pl = "Czy jesteś u nas pierwszy raz?", en = "Is this your first visit?" },
            options = new[]
            {
                new { value = "first", title = new { cs = "Poprvé", sk = "Prvýkrát", pl = "Pierwszy raz", en = "First visit" } },
                new { value = "sometimes", title = new { cs = "Občas", sk = "Občas", pl = "Czasami", en = "Now and then" } },
                new { value = "regular", title = new { cs = "Pravidelně", sk = "Pravidelne", pl = "Regularnie", en = "Regularly" } },
            },
        },
    ];

    private static readonly Random TraitRandom = new(17);

    private sealed record Journey(string Id, Touchpoint Step);

    private static int Score(Random random, double promoters, double detractors)
    {
        var roll = random.NextDouble();
        return roll < promoters ? 9 + random.Next(2) : roll < promoters + detractors ? random.Next(7) : 7 + random.Next(2);
    }

    private static async Task<string> CreateStoreAsync(BrowserFixture app, string id, string name, string region)
    {
        using var client = app.Client(admin: true);
        var reward = new { title = new Dictionary<string, string> { ["cs"] = "Káva o 20 % levněji", ["en"] = "20% off coffee" }, validDays = 30, dailyCap = 200, eligible = new[] { "receipt" } };
        using var response = await client.PutAsJsonAsync($"api/stores/{id}", new { name, region, timeZone = "Europe/Prague", languages = new[] { "cs", "en" }, reward });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return id;
    }

    private static async Task AnswerAsync(BrowserFixture app, string storeId, DateTimeOffset at, int score, Random random, bool comment,
        Contact? contact = null, string? text = null, Journey? journey = null)
    {
        // Receipts (rewarded), the kiosk and the web survey; a journey's steps at its own touchpoints.
        var roll = random.Next(10);
        var (touchpoint, source, receipt) = journey?.Step == Touchpoint.Store || (journey is null && roll < 5) ? (Touchpoint.Store, AnswerSource.Token, "R" + Guid.NewGuid().ToString("N")[..10])
            : journey is not null ? (journey.Step, AnswerSource.Token, null)
            : roll < 8 ? (Touchpoint.Kiosk, AnswerSource.Device, null) : (Touchpoint.Web, AnswerSource.Token, (string?)null);
        var (reasons, segments) = Traits(score);
        var message = new FeedbackSubmitted("d" + Guid.NewGuid().ToString("N")[..15], storeId, touchpoint, source,
            source == AnswerSource.Device ? "d-kiosk" : null, source == AnswerSource.Device ? DeviceKind.Kiosk : null, receipt, new NpsScore(score),
            score >= 7 ? 4 + random.Next(2) : 1 + random.Next(3), null, reasons, comment ? text ?? Comments[random.Next(Comments.Length)] : null, "cs",
            at, at, journey?.Id, null, contact, Segments: segments);
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ProcessFeedbackFunction>().RunAsync(
            new QueueTrigger(JsonSerializer.Serialize(message, MessageQueue.Json), "m", 1, at), CancellationToken.None);
    }

    /// <summary>
    /// Detractors mostly first-time visitors who name speed or staff, promoters mostly regulars who name quality or the
    /// atmosphere; price and "now and then" alike for both. Some answers skip the question or the reasons.
    /// </summary>
    private static (string[] Reasons, Dictionary<string, string>? Segments) Traits(int score)
    {
        var detractor = score <= 6;
        var roll = TraitRandom.NextDouble();
        string? visit = roll < 0.15 ? null : roll < 0.4 ? "sometimes"
            : detractor ? (TraitRandom.NextDouble() < 0.8 ? "first" : "regular") : (TraitRandom.NextDouble() < 0.75 ? "regular" : "first");
        var reasons = new List<string>();
        if (TraitRandom.NextDouble() < 0.8)
        {
            reasons.Add(detractor ? (TraitRandom.NextDouble() < 0.6 ? "speed" : "staff") : (TraitRandom.NextDouble() < 0.6 ? "quality" : "atmosphere"));
            if (TraitRandom.NextDouble() < 0.3)
            {
                reasons.Add("price");
            }
        }

        return ([.. reasons], visit is null ? null : new Dictionary<string, string> { ["visit"] = visit });
    }

    private static async Task DrainAsync(BrowserFixture app)
    {
        var storage = app.Services.GetRequiredService<StorageAccount>();
        string[] queues = [QueueNames.FeedbackSubmitted, QueueNames.FollowUpRequested];
        await Eventually.Value(
            async () => (await Task.WhenAll(queues.Select(q => storage.Queue(q).GetApproximateMessagesCountAsync()))).Sum(),
            n => n == 0, TimeSpan.FromSeconds(120));
    }

    /// <summary>A test cannot wait out a deadline: the case's deadline is moved into the past, as if nobody had called in time.</summary>
    private static async Task MakeOverdueAsync(BrowserFixture app, string storeId, string comment)
    {
        var cases = app.Services.GetRequiredService<CaseStore>();
        var (open, _) = await cases.ListAsync(storeId, CaseFilter.Open, DateTimeOffset.UtcNow, 200, null, CancellationToken.None);
        var late = open.Single(c => c.Answer.Comment == comment);
        Assert.NotNull(await cases.TrySaveAsync(late with { DueAt = DateTimeOffset.UtcNow.AddMinutes(-30) }, CancellationToken.None));
    }

    /// <summary>Resolves the store's open cases of answers submitted before <paramref name="before"/>, as the managers did back then.</summary>
    private static async Task ResolveOlderCasesAsync(BrowserFixture app, string storeId, DateTimeOffset before)
    {
        using var client = app.Client(admin: true);
        var page = (await client.GetFromJsonAsync<JsonObject>($"api/cases?storeId={storeId}&status=open&pageSize=200"))!;
        foreach (var item in page["items"]!.AsArray().Where(c => c!["submittedAt"]!.GetValue<DateTimeOffset>() < before))
        {
            using var response = await client.PatchAsJsonAsync($"api/cases/{item!["caseId"]!.GetValue<string>()}", new { status = "resolved", note = "Called back" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}
