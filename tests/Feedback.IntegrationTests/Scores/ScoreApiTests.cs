using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Scores;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Scores;

public sealed class ScoreApiTests(ScoreTestData.Fixture app) : IClassFixture<ScoreTestData.Fixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 10, 11, 0, 0, TimeSpan.Zero);

    private Task<AggregationResult> AggregateAsync() => app.App.Services.GetRequiredService<ScoreAggregator>().RunAsync(rebuild: false, CancellationToken.None);

    [Fact]
    public async Task Series_CarriesIntervalMarginAndLowConfidence_AndGapsForEmptyDays()
    {
        var store = await app.CreateStoreAsync();
        // 15 promoters, 9 passives, 6 detractors: NPS 30, adjusted-Wald centre 27.3, margin 26.6.
        for (var i = 0; i < 30; i++)
        {
            await app.AnswerAsync(store, Noon, i < 15 ? 10 : i < 24 ? 7 : 3);
        }

        await AggregateAsync();
        var series = await app.SeriesAsync($"store:{store}", "day", "2026-11-09", "2026-11-10");

        var empty = series[0]!;
        Assert.Equal(0, empty["n"]!.GetValue<long>());
        Assert.Null(empty["nps"]);
        Assert.Null(empty["interval"]);
        var day = series[1]!;
        Assert.Equal(30.0, day["nps"]!.GetValue<double>(), 9);
        Assert.Equal(26.6, day["marginOfError"]!.GetValue<double>(), 1);
        Assert.Equal(27.3 - 26.6, day["interval"]![0]!.GetValue<double>(), 1);
        Assert.Equal(27.3 + 26.6, day["interval"]![1]!.GetValue<double>(), 1);
        Assert.True(day["lowConfidence"]!.GetValue<bool>());
        Assert.Null(day["change"]);   // nothing the day before: no comparison possible
    }

    [Fact]
    public async Task Trailing28_SumsTheWindow_AndComparesWithThePreviousWindow()
    {
        var store = await app.CreateStoreAsync();
        await app.AnswerAsync(store, Noon.AddDays(-30), 0);   // previous window
        await app.AnswerAsync(store, Noon.AddDays(-40), 0);   // previous window
        await app.AnswerAsync(store, Noon.AddDays(-27), 10);  // first day of the window ending 2026-11-10
        await app.AnswerAsync(store, Noon, 10);
        await app.AnswerAsync(store, Noon.AddDays(1), 10);    // after the window
        await AggregateAsync();

        var point = (await app.SeriesAsync($"store:{store}", "trailing28", "2026-11-10", "2026-11-10"))[0]!;

        Assert.Equal("2026-11-10", point["period"]!.GetValue<string>());
        Assert.Equal(2, point["n"]!.GetValue<long>());
        Assert.Equal(100.0, point["nps"]!.GetValue<double>());
        Assert.Equal(200.0, point["change"]!["delta"]!.GetValue<double>());
    }

    [Fact]
    public async Task RewardedFilter_SplitsRewardedFromUnrewarded()
    {
        var store = await app.CreateStoreAsync();
        await app.AnswerAsync(store, Noon, 10);
        await app.AnswerAsync(store, Noon, 2);
        // Mark one answer rewarded the way ProcessFeedback does: a rewarded counter row beside the all-answers rows.
        var feedback = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.Feedback);
        await feedback.UpsertEntityAsync(new TableEntity($"{store}.2026-11-10", "r.store.0") { ["Promoters"] = 1L, ["Answered"] = 1L });
        await DirtyStoreDays.MarkAsync(app.App.Services.GetRequiredService<StorageAccount>(), new StoreDay(store, new DateOnly(2026, 11, 10)), CancellationToken.None);
        await AggregateAsync();

        Assert.Equal(2, (await app.SeriesAsync($"store:{store}", "day", "2026-11-10", "2026-11-10")).N("2026-11-10"));
        var rewarded = (await app.SeriesAsync($"store:{store}", "day", "2026-11-10", "2026-11-10", "&rewarded=true"))[0]!;
        var unrewarded = (await app.SeriesAsync($"store:{store}", "day", "2026-11-10", "2026-11-10", "&rewarded=false"))[0]!;
        Assert.Equal((1L, 100.0), (rewarded["n"]!.GetValue<long>(), rewarded["nps"]!.GetValue<double>()));
        Assert.Equal((1L, -100.0), (unrewarded["n"]!.GetValue<long>(), unrewarded["nps"]!.GetValue<double>()));
    }

    [Fact]
    public async Task StoreRanking_SharesRanksWhereIntervalsOverlap()
    {
        var region = Api.NewStoreId();
        var strong = await app.CreateStoreAsync(region: region);
        var close = await app.CreateStoreAsync(region: region);
        var weak = await app.CreateStoreAsync(region: region);
        var silent = await app.CreateStoreAsync(region: region);
        var day = new DateTimeOffset(2026, 9, 15, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 60; i++)
        {
            await app.AnswerAsync(strong, day, 10);
            await app.AnswerAsync(weak, day, 1);
            await app.AnswerAsync(close, day, i < 58 ? 10 : 7);
        }

        await AggregateAsync();
        var ranking = await app.AdminClient().GetJsonAsync("/api/scores/stores?period=day&date=2026-09-15");
        var rows = ranking["stores"]!.AsArray().Where(s => s!["region"]!.GetValue<string>() == region)
            .ToDictionary(s => s!["storeId"]!.GetValue<string>(), s => s!["rank"]?.GetValue<int?>());

        Assert.Equal(rows[strong], rows[close]);   // 100 vs 96.7: intervals overlap, so a tie
        Assert.True(rows[weak] > rows[close]);
        Assert.Null(rows[silent]);
    }

    [Theory]
    [InlineData("scope=galaxy&period=day&from=2026-01-01&to=2026-01-02", "scope")]
    [InlineData("scope=chain&period=year&from=2026-01-01&to=2026-01-02", "period")]
    [InlineData("scope=chain&period=day&from=2026-13-01&to=2026-01-02", "from")]
    [InlineData("scope=chain&period=day&from=2026-01-05&to=2026-01-02", "to")]
    [InlineData("scope=chain&period=day&from=2025-01-01&to=2026-02-05", "to")]
    [InlineData("scope=store:Bad_Id&period=day&from=2026-01-01&to=2026-01-02", "scope")]
    [InlineData("scope=chain&period=day&from=2026-01-01&to=2026-01-02&touchpoint=fax", "touchpoint")]
    [InlineData("scope=chain&period=day&from=2026-01-01&to=2026-01-02&rewarded=maybe", "rewarded")]
    public async Task BadQueries_Are400ProblemsNamingTheField(string query, string field)
    {
        using var response = await app.AdminClient().GetAsync("/api/scores?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync())["errors"]!.AsObject().ContainsKey(field));
    }

    [Fact]
    public async Task Scores_NeedTheAdminKey_AndUnknownStoresAre404()
    {
        using var anonymous = await app.App.CreateClient().GetAsync("/api/scores?scope=chain&period=day&from=2026-01-01&to=2026-01-01");
        using var unknown = await app.AdminClient().GetAsync("/api/scores?scope=store:no-such-store&period=day&from=2026-01-01&to=2026-01-01");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AggregateScores_RunsWhenTheHostInvokesTheTimer()
    {
        var store = await app.CreateStoreAsync();
        await app.AnswerAsync(store, Noon, 9);
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["timer"] = new JsonObject { ["IsPastDue"] = false } },
            ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = "AggregateScores", ["UtcNow"] = DateTimeOffset.UtcNow.ToString("o") } },
        };

        using var response = await app.App.CreateClient().PostAsJsonAsync("/AggregateScores", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await app.SeriesAsync($"store:{store}", "day", "2026-11-10", "2026-11-10")).N("2026-11-10"));
        var asOf = (await app.AdminClient().GetJsonAsync($"/api/scores?scope=store:{store}&period=day&from=2026-11-10&to=2026-11-10"))["asOf"]!.GetValue<DateTimeOffset>();
        Assert.True(DateTimeOffset.UtcNow - asOf < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Retention_DeletesOldAnswers_ErasesOldContacts_KeepsCounts()
    {
        var store = await app.CreateStoreAsync();
        var now = DateTimeOffset.UtcNow;
        await app.AnswerAsync(store, now.AddDays(-500), 10, email: "old@example.com");
        await app.AnswerAsync(store, now.AddDays(-45), 3, email: "recent@example.com");
        await app.AnswerAsync(store, now.AddDays(-2), 8, email: "new@example.com");
        await AggregateAsync();

        await app.App.Services.GetRequiredService<Retention>().ApplyAsync(CancellationToken.None);

        var answers = new List<TableEntity>();
        var feedback = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.Feedback);
        await foreach (var row in feedback.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {store + "."} and PartitionKey lt {store + "/"} and RowKey ge {"f."} and RowKey lt {"f/"}")))
        {
            answers.Add(row);
        }

        Assert.Equal(2, answers.Count);
        Assert.Null(Assert.Single(answers, a => a.GetInt32("Score") == 3).GetString("ContactEmail"));
        Assert.Equal("ok", Assert.Single(answers, a => a.GetInt32("Score") == 3).GetString("Comment"));
        Assert.Equal("new@example.com", Assert.Single(answers, a => a.GetInt32("Score") == 8).GetString("ContactEmail"));
        var old = StoreDay.LocalDate(now.AddDays(-500), "Europe/Prague").ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, (await app.SeriesAsync($"store:{store}", "day", old, old)).N(old));
    }
}
