using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Processing;
using Feedback.Functions.Rewards;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary>Steps the reward tests share: earning a reward over HTTP, waiting for the queues, reading reward rows.</summary>
internal static partial class RewardFlows
{
    public const string Zone = "Europe/Prague";
    public const string CzechTitle = "Ledový čaj o 20 % levněji";
    public const string EnglishTitle = "20% off iced tea";

    /// <summary>Settings every reward fixture needs: the tests send far more answers per minute than a person would.</summary>
    public static readonly IReadOnlyDictionary<string, string?> GenerousLimits = new Dictionary<string, string?>
    {
        ["RateLimits:TokenPerMinute"] = "10000",
        ["RateLimits:DevicePerMinute"] = "10000",
        ["RateLimits:IpPerMinute"] = "10000",
        ["RateLimits:RedeemPerMinute"] = "10000",
    };

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$")]
    public static partial Regex CodeFormat();

    public static DateOnly Today => Api.TodayIn(Zone);

    public static string NewReceiptId() => "R-" + Guid.NewGuid().ToString("N")[..12];

    public static Task<string> ReceiptTokenAsync(this AppFixture app, string store) => app.MintTokenAsync(store, receiptId: NewReceiptId());

    /// <summary>Submits an answer on a fresh receipt and waits for its reward.</summary>
    public static async Task<JsonObject> EarnRewardAsync(this AppFixture app, string store, int score = 9, string? language = null)
    {
        var url = await app.SubmitAcceptedAsync(new { token = await app.ReceiptTokenAsync(store), score, language });
        return (await app.WaitForRewardAsync(url))["reward"]!.AsObject();
    }

    /// <summary>Generous: a deadline only matters when the test fails, and a loaded CI machine can be slow.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static Task<JsonObject> WaitForRewardAsync(this AppFixture app, string statusUrl) =>
        app.WaitForStatusAsync(statusUrl, done: s => s["reward"] is not null, Patience);

    /// <summary>
    /// Waits until every submitted answer is processed. Queue counts include messages being handled.
    /// </summary>
    public static async Task SettledAsync(this AppFixture app)
    {
        var storage = app.App.Services.GetRequiredService<StorageAccount>();
        await Eventually.Value(
            async () => await storage.Queue(QueueNames.FeedbackSubmitted).GetApproximateMessagesCountAsync(),
            pending => pending == 0,
            Patience);
    }

    public static async Task<JsonObject> SettledStatusAsync(this AppFixture app, string statusUrl)
    {
        await app.WaitForStatusAsync(statusUrl, timeout: Patience);
        await app.SettledAsync();
        return await app.WaitForStatusAsync(statusUrl);
    }

    /// <summary>The store's rows in the codes table, which is what lookup and redemption read.</summary>
    public static async Task<List<TableEntity>> RewardCodeRowsAsync(this AppFixture app, string store)
    {
        var rows = new List<TableEntity>();
        var table = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.RewardCodes);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"StoreId eq {store}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>How many rewards the store-day's daily-cap shares say were issued, summed over the shares.</summary>
    public static async Task<long> CapCountAsync(this AppFixture app, string store)
    {
        long issued = 0;
        var table = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.Feedback);
        for (var share = 0; share < RewardIssuer.CapShares; share++)
        {
            issued += RewardIssuer.Issued(await table.FindAsync<TableEntity>(new StoreDay(store, Today).Key, RewardIssuer.CapShareRowKey(share), CancellationToken.None));
        }

        return issued;
    }

    public static long Total(this ScoreCounts counts) => counts.Promoters + counts.Passives + counts.Detractors;

    public static HttpClient DeviceClient(this AppFixture app, string deviceKey)
    {
        var client = app.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Device-Key", deviceKey);
        return client;
    }

    public static Task<HttpResponseMessage> RedeemAsync(this HttpClient client, string code) =>
        client.PostAsync($"/api/rewards/{Uri.EscapeDataString(code)}/redeem", null);

    public static Task<HttpResponseMessage> LookUpAsync(this HttpClient client, string code) =>
        client.GetAsync($"/api/rewards/{Uri.EscapeDataString(code)}");

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static string Str(this JsonNode node, string name) => node[name]!.GetValue<string>();

    public static DateTimeOffset Time(this JsonNode node, string name) => node[name]!.GetValue<DateTimeOffset>();
}
