using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Capture;

/// <summary>POST /api/feedback/batch: a device sending the answers it collected offline.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class BatchTests(ProcessingFixture app)
{
    private const string Zone = "Europe/Prague";

    [Fact]
    public async Task HundredItems_AreAllAccepted_InOrder_AndAllProcessed()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var ids = Enumerable.Range(0, 100).Select(i => $"b100-{i:D3}-{Guid.NewGuid():N}"[..20]).ToArray();

        using var response = await PostBatchAsync(ids.Select((id, i) => new { id, score = i % 11, submittedAt = at }), key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = await ResultsAsync(response);
        Assert.Equal(100, results.Count);
        Assert.Equal(ids, results.Select(r => r["id"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Equal("accepted", r["status"]!.GetValue<string>()));
        Assert.Equal(100, results.Select(r => r["statusUrl"]!.GetValue<string>()).Distinct().Count());

        var day = StoreDay.LocalDate(at, Zone);
        var (all, _, answered) = await Eventually.Value(() => app.CountersAsync(store, day), c => c.Answered >= 100, TimeSpan.FromSeconds(30));
        Assert.Equal(100, answered);
        var scores = Enumerable.Range(0, 100).Select(i => i % 11).ToArray();
        Assert.Equal(scores.Count(s => s >= 9), all.Promoters);
        Assert.Equal(scores.Count(s => s <= 6), all.Detractors);
        foreach (var url in results.Select(r => r["statusUrl"]!.GetValue<string>()))
        {
            await app.WaitForStatusAsync(url);
        }
    }

    [Fact]
    public async Task OneBadItemAmongGoodOnes_IsRejectedWithItsErrors_AndTheOthersAreAcceptedAndProcessed()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var good1 = NewId();
        var bad = NewId();
        var good2 = NewId();

        using var response = await PostBatchAsync(new object[]
        {
            new { id = good1, score = 9, submittedAt = at },
            new { id = bad, score = 11, csat = 9, submittedAt = at },
            new { id = good2, score = 2, submittedAt = at },
        }, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = await ResultsAsync(response);
        Assert.Equal([good1, bad, good2], results.Select(r => r["id"]!.GetValue<string>()));
        Assert.Equal(["accepted", "rejected", "accepted"], results.Select(r => r["status"]!.GetValue<string>()));
        Assert.Null(results[1]["statusUrl"]);
        Assert.Equal(["csat", "score"], results[1]["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Null(results[0]["errors"]);

        await app.WaitForStatusAsync(results[0]["statusUrl"]!.GetValue<string>());
        await app.WaitForStatusAsync(results[2]["statusUrl"]!.GetValue<string>());
        var (all, _, answered) = await app.CountersAsync(store, StoreDay.LocalDate(at, Zone));
        Assert.Equal(2, answered);
        Assert.Equal((1, 1), (all.Promoters, all.Detractors));
        Assert.Null(await app.AnswerRowAsync(store, bad));
    }

    [Fact]
    public async Task ItemWithAWrongTypedValue_IsRejectedNamingTheField_AndTheOthersAccepted()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var bad = NewId();

        using var response = await PostBatchAsync(new object[] { new { id = bad, score = "nine" }, new { id = NewId(), score = 9 } }, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = await ResultsAsync(response);
        Assert.Equal(["rejected", "accepted"], results.Select(r => r["status"]!.GetValue<string>()));
        Assert.Equal(bad, results[0]["id"]!.GetValue<string>());
        Assert.Equal(["score"], results[0]["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task NullItem_IsRejected_AndTheOthersAccepted()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);

        using var response = await PostBatchAsync(new object?[] { null, new { score = 5 } }, key);

        var results = await ResultsAsync(response);
        Assert.Equal(["rejected", "accepted"], results.Select(r => r["status"]!.GetValue<string>()));
        Assert.NotEmpty(results[0]["errors"]!.AsObject());
    }

    [Theory]
    [InlineData(101)]
    [InlineData(0)]
    public async Task TooManyOrNoItems_IsBadRequestNamingItems(int count)
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);

        using var response = await PostBatchAsync(Enumerable.Range(0, count).Select(_ => new { score = 5 }), key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["items"], (await response.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task MissingItems_IsBadRequestNamingItems()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var client = app.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Device-Key", key);

        using var response = await client.PostAsJsonAsync("/api/feedback/batch", new { answers = new[] { new { score = 5 } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["items"], (await response.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task WithoutAValidDeviceKey_IsUnauthorized_EvenWithTokensInTheItems()
    {
        var store = await app.CreateStoreAsync();
        var (deviceId, key) = await app.EnrollDeviceAsync(store);
        var token = await app.MintTokenAsync(store);
        var items = new[] { new { token, score = 5 } };

        using var none = await PostBatchAsync(items, deviceKey: null);
        using var wrong = await PostBatchAsync(items, deviceId + ".wrong-secret");
        using var garbage = await PostBatchAsync(items, "garbage");
        using var revoke = await app.AdminClient().DeleteAsync($"/api/stores/{store}/devices/{deviceId}");
        using var revoked = await PostBatchAsync(items, key);

        foreach (var response in new[] { none, wrong, garbage, revoked })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(401, (await response.ProblemAsync())["status"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task TokensInItems_AreIgnored_TheAnswersBelongToTheDevice()
    {
        var store = await app.CreateStoreAsync();
        var other = await app.CreateStoreAsync();
        var (deviceId, key) = await app.EnrollDeviceAsync(store);
        var otherToken = await app.MintTokenAsync(other, touchpoint: "web");
        var withOtherToken = NewId();
        var withGarbage = NewId();

        using var response = await PostBatchAsync(new object[]
        {
            new { id = withOtherToken, token = otherToken, score = 7 },
            new { id = withGarbage, token = "garbage", score = 8 },
        }, key);

        var results = await ResultsAsync(response);
        Assert.All(results, r => Assert.Equal("accepted", r["status"]!.GetValue<string>()));
        foreach (var result in results)
        {
            await app.WaitForStatusAsync(result["statusUrl"]!.GetValue<string>());
        }

        foreach (var id in new[] { withOtherToken, withGarbage })
        {
            var row = await app.AnswerRowAsync(store, id);
            Assert.NotNull(row);
            Assert.Equal(("device", deviceId, "kiosk"), (row.GetString("Source"), row.GetString("DeviceId"), row.GetString("Touchpoint")));
            Assert.Null(await app.AnswerRowAsync(other, id));
        }
    }

    [Fact]
    public async Task ItemsSentAgain_AreAcceptedWithTheSameStatusUrls_AndCountedOnce()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var ids = Enumerable.Range(0, 5).Select(_ => NewId()).ToArray();
        // The last item repeats the first, as a device retrying inside one batch would.
        var items = ids.Append(ids[0]).Select(id => new { id, score = 10, submittedAt = at }).ToArray();

        using var first = await PostBatchAsync(items, key);
        using var second = await PostBatchAsync(items, key);

        var firstResults = await ResultsAsync(first);
        var secondResults = await ResultsAsync(second);
        Assert.All(firstResults.Concat(secondResults), r => Assert.Equal("accepted", r["status"]!.GetValue<string>()));
        var urls = firstResults.Select(r => r["statusUrl"]!.GetValue<string>()).ToArray();
        Assert.Equal(urls, secondResults.Select(r => r["statusUrl"]!.GetValue<string>()));
        Assert.Equal(urls[0], urls[5]);
        foreach (var url in urls.Distinct())
        {
            await app.WaitForStatusAsync(url);
        }

        // Every copy has been handled once the queue is empty; only then can a double count show.
        await Eventually.Value(() => app.QueueCountAsync(QueueNames.FeedbackSubmitted), n => n == 0);
        var (all, _, answered) = await app.CountersAsync(store, StoreDay.LocalDate(at, Zone));
        Assert.Equal(5, answered);
        Assert.Equal(5, all.Promoters);
        Assert.Equal(5, (await app.AnswerRowsAsync(store, StoreDay.LocalDate(at, Zone))).Count);
    }

    [Fact]
    public async Task OfflineAnswers_LandInTheStoreLocalDayTheyWereGiven()
    {
        // UTC+14: noon UTC is 02:00 the next local day, 09:00 UTC is 23:00 the same local day.
        const string zone = "Pacific/Kiritimati";
        var store = await app.CreateStoreAsync(timeZone: zone);
        var (_, key) = await app.EnrollDeviceAsync(store);
        var utcDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);
        var noon = new DateTimeOffset(utcDay.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var nine = new DateTimeOffset(utcDay.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
        var atNoon = NewId();
        var atNine = NewId();

        using var response = await PostBatchAsync(new object[]
        {
            new { id = atNoon, score = 10, submittedAt = noon },
            new { id = atNine, score = 0, submittedAt = nine },
        }, key);

        var results = await ResultsAsync(response);
        Assert.All(results, r => Assert.Equal("accepted", r["status"]!.GetValue<string>()));
        foreach (var result in results)
        {
            await app.WaitForStatusAsync(result["statusUrl"]!.GetValue<string>());
        }

        var nextDay = await app.CountersAsync(store, utcDay.AddDays(1));
        var sameDay = await app.CountersAsync(store, utcDay);
        Assert.Equal((1, 1, 0), (nextDay.Answered, nextDay.All.Promoters, nextDay.All.Detractors));
        Assert.Equal((1, 0, 1), (sameDay.Answered, sameDay.All.Promoters, sameDay.All.Detractors));
        Assert.Equal(0, (await app.CountersAsync(store, Api.TodayIn(zone))).Answered);
        Assert.Equal(noon, (await app.AnswerRowAsync(store, atNoon))!.GetDateTimeOffset("SubmittedAt"));
    }

    private static string NewId() => "b-" + Guid.NewGuid().ToString("N")[..12];

    private Task<HttpResponseMessage> PostBatchAsync<T>(IEnumerable<T> items, string? deviceKey)
    {
        var client = app.App.CreateClient();
        if (deviceKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Device-Key", deviceKey);
        }

        return client.PostAsJsonAsync("/api/feedback/batch", new { items });
    }

    private static async Task<List<JsonObject>> ResultsAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return [.. body["results"]!.AsArray().Select(r => r!.AsObject())];
    }
}
