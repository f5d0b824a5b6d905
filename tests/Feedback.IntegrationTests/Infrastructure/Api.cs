using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;

namespace Feedback.IntegrationTests.Infrastructure;

/// <summary>The admin and capture calls tests make again and again, over HTTP against the app.</summary>
public static class Api
{
    public static string NewStoreId() => "s-" + Guid.NewGuid().ToString("N")[..10];

    public static object Reward(int dailyCap = 200, int validDays = 30, params string[] eligible) => new
    {
        title = new Dictionary<string, string> { ["cs"] = "Ledový čaj o 20 % levněji", ["en"] = "20% off iced tea" },
        validDays,
        dailyCap,
        eligible = eligible.Length == 0 ? ["receipt", "kiosk"] : eligible,
    };

    public static async Task<string> CreateStoreAsync(this AppFixture app, string? storeId = null, object? reward = null,
        string region = "prague", string timeZone = "Europe/Prague", string[]? languages = null)
    {
        storeId ??= NewStoreId();
        using var response = await app.AdminClient().PutAsJsonAsync($"/api/stores/{storeId}",
            new { name = "Café " + storeId, region, timeZone, languages = languages ?? ["cs", "en"], reward });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return storeId;
    }

    public static async Task<(string DeviceId, string DeviceKey)> EnrollDeviceAsync(this AppFixture app, string storeId, string kind = "kiosk")
    {
        using var response = await app.AdminClient().PostAsJsonAsync($"/api/stores/{storeId}/devices", new { name = "Kiosk 1", kind });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (body!["deviceId"]!.GetValue<string>(), body["deviceKey"]!.GetValue<string>());
    }

    public static async Task<string> MintTokenAsync(this AppFixture app, string storeId, string touchpoint = "store", string? receiptId = null)
    {
        using var response = await app.AdminClient().PostAsJsonAsync($"/api/stores/{storeId}/tokens", new { touchpoint, receiptId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    public static Task<HttpResponseMessage> SubmitAsync(this AppFixture app, object body, string? deviceKey = null)
    {
        var client = app.App.CreateClient();
        if (deviceKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Device-Key", deviceKey);
        }

        return client.PostAsJsonAsync("/api/feedback", body);
    }

    public static async Task<string> SubmitAcceptedAsync(this AppFixture app, object body, string? deviceKey = null)
    {
        using var response = await app.SubmitAsync(body, deviceKey);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["statusUrl"]!.GetValue<string>();
    }

    public static async Task<JsonObject> WaitForStatusAsync(this AppFixture app, string statusUrl, Func<JsonObject, bool>? done = null, TimeSpan? timeout = null)
    {
        var client = app.App.CreateClient();
        return await Eventually.Value(
            async () => (await client.GetFromJsonAsync<JsonObject>(statusUrl))!,
            s => s["status"]!.GetValue<string>() == "processed" && (done is null || done(s)),
            timeout ?? TimeSpan.FromSeconds(20));
    }

    /// <summary>Sums a store-day's counter shards straight from the table: what the scores are built from.</summary>
    public static async Task<(ScoreCounts All, ScoreCounts Rewarded, long Answered)> CountersAsync(this AppFixture app, string storeId, DateOnly day)
    {
        var table = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.Feedback);
        var all = new ScoreCounts();
        var rewarded = new ScoreCounts();
        long answered = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {new StoreDay(storeId, day).Key}")))
        {
            if (row.RowKey.StartsWith("c.", StringComparison.Ordinal))
            {
                all += StoreDayCounters.CountsOf(row);
                answered += StoreDayCounters.CountsOf(row).Answered;
            }
            else if (row.RowKey.StartsWith("r.", StringComparison.Ordinal))
            {
                rewarded += StoreDayCounters.CountsOf(row);
            }
        }

        return (all, rewarded, answered);
    }

    public static DateOnly TodayIn(string timeZone) => StoreDay.LocalDate(DateTimeOffset.UtcNow, timeZone);

    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<JsonObject>(await response.Content.ReadAsStringAsync())!;
    }
}
