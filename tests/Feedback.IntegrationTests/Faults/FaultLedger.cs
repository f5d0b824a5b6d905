using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.IntegrationTests.Rewards;

namespace Feedback.IntegrationTests.Faults;

/// <summary>
/// What a fault test sends and what it checks afterwards, black-box: answers and their status through HTTP, the
/// scores through the public API, and the queues and reward codes through an independent storage client, never
/// through the app's own row layout. Every answer is on a receipt of its own, so each must earn exactly one reward.
/// </summary>
internal sealed class FaultLedger(Func<HttpClient> client, Func<HttpClient> admin, string connectionString)
{
    private readonly Dictionary<string, (int Score, string StatusUrl)> _accepted = new(StringComparer.Ordinal);

    public string Store { get; private set; } = "";

    public int Count => _accepted.Count;

    public async Task CreateStoreAsync()
    {
        Store = Api.NewStoreId();
        using var http = admin();
        using var response = await http.PutAsJsonAsync($"/api/stores/{Store}",
            new { name = "Café " + Store, region = "prague", timeZone = RewardFlows.Zone, languages = new[] { "cs", "en" }, reward = Api.Reward(dailyCap: 1000) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>A fresh receipt token and an answer id for it, as a survey page holds them before sending.</summary>
    public async Task<(string Token, string Id)> NewAnswerAsync()
    {
        using var http = admin();
        using var response = await http.PostAsJsonAsync($"/api/stores/{Store}/tokens", new { touchpoint = "store", receiptId = RewardFlows.NewReceiptId() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.JsonAsync()).Str("token"), "a-" + Guid.NewGuid().ToString("N")[..16]);
    }

    private async Task<HttpResponseMessage> SubmitAsync((string Token, string Id) answer, int score)
    {
        using var http = client();
        return await http.PostAsJsonAsync("/api/feedback", new { token = answer.Token, id = answer.Id, score });
    }

    /// <summary>Submits and requires 202; the answer is then one that must never be lost.</summary>
    public async Task AcceptAsync((string Token, string Id) answer, int score)
    {
        using var response = await SubmitAsync(answer, score);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Keep(answer.Id, score, (await response.JsonAsync()).Str("statusUrl"));
    }

    /// <summary>
    /// Submits while storage may be away: true and kept when accepted (202), false when refused for storage (503 with
    /// Retry-After); any other answer fails the test.
    /// </summary>
    public async Task<bool> TryAcceptAsync((string Token, string Id) answer, int score)
    {
        using var response = await SubmitAsync(answer, score);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            await AssertStorageAwayAsync(response);
            return false;
        }

        Keep(answer.Id, score, (await response.JsonAsync()).Str("statusUrl"));
        return true;
    }

    /// <summary>Reads the status of an answer already accepted (a read that needs storage): true when 200, false when 503.</summary>
    public async Task<bool> TryReadStatusAsync()
    {
        string url;
        lock (_accepted)
        {
            url = _accepted.Values.First().StatusUrl;
        }

        using var http = client();
        using var response = await http.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await AssertStorageAwayAsync(response);
            return false;
        }

        return true;
    }

    private void Keep(string id, int score, string statusUrl)
    {
        lock (_accepted)
        {
            _accepted[id] = (score, statusUrl);
        }
    }

    /// <summary>Storage away: 503 problem+json with Retry-After, never another 5xx.</summary>
    public static async Task AssertStorageAwayAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
    }

    /// <summary>
    /// After recovery: every accepted answer processed with exactly one reward, nothing left in any queue or its
    /// poison twin, one reward code per answer in storage, and scores — rolled up by a timer run after
    /// <paramref name="recoveredAt"/> — that count each answer exactly once.
    /// </summary>
    public async Task AssertEachCountedAndRewardedOnceAsync(DateTimeOffset recoveredAt)
    {
        var codes = new List<string>();
        using (var http = client())
        {
            foreach (var (_, statusUrl) in _accepted.Values)
            {
                var status = await Eventually.Value(
                    async () => (await http.GetFromJsonAsync<JsonObject>(statusUrl))!,
                    s => s["status"]?.GetValue<string>() == "processed" && s["reward"] is not null,
                    RewardFlows.Patience);
                codes.Add(status["reward"]!.Str("code"));
            }
        }

        Assert.Equal(_accepted.Count, codes.Distinct(StringComparer.Ordinal).Count());
        await Eventually.Value(PendingMessagesAsync, pending => pending == 0, RewardFlows.Patience);
        Assert.Equal(_accepted.Count, await RewardCodesAsync());

        var day = Api.TodayIn(RewardFlows.Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var promoters = _accepted.Values.Count(a => a.Score >= 9);
        var detractors = _accepted.Values.Count(a => a.Score <= 6);
        using var reader = admin();
        var series = await Eventually.Value(
            async () => (await reader.GetFromJsonAsync<JsonObject>($"/api/scores?scope=store:{Store}&period=day&from={day}&to={day}"))!,
            s => s["series"]?.AsArray() is [{ } point] && point["n"]?.GetValue<long>() == _accepted.Count
                 && s["asOf"]?.GetValue<DateTimeOffset>() > recoveredAt,
            RewardFlows.Patience);
        var counted = series["series"]![0]!;
        Assert.Equal((_accepted.Count, promoters, detractors, _accepted.Count),
            (counted["n"]!.GetValue<int>(), counted["promoters"]!.GetValue<int>(), counted["detractors"]!.GetValue<int>(), counted["verified"]!.GetValue<int>()));
    }

    /// <summary>Messages in every queue and poison queue, visible or held, counted with a client of the test's own.</summary>
    private async Task<int> PendingMessagesAsync()
    {
        var service = new QueueServiceClient(connectionString);
        var pending = 0;
        foreach (var name in QueueNames.All.SelectMany(q => new[] { q, q + "-poison" }))
        {
            try
            {
                pending += await service.GetQueueClient(name).GetApproximateMessagesCountAsync();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // a poison queue nothing was ever moved to
            }
        }

        return pending;
    }

    /// <summary>The store's reward codes, by a scan of the codes table (what look-up and redemption read).</summary>
    private async Task<int> RewardCodesAsync()
    {
        var table = new TableClient(connectionString, TableNames.RewardCodes);
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"StoreId eq {Store}"), select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }
}
