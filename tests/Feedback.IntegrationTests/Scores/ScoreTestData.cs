using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.Hosting;
using Feedback.Functions.Processing;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Scores;

/// <summary>Answers placed at chosen instants (through ProcessFeedback, as a queue delivery would), and score queries.</summary>
public static class ScoreTestData
{
    public sealed class Fixture : AppFixture
    {
        // Aggregation is driven by the tests, not by the timer or the queue listener.
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Triggers:Standalone"] = "false" };
    }

    public static async Task AnswerAsync(this AppFixture app, string storeId, DateTimeOffset at, int score, Touchpoint touchpoint = Touchpoint.Store,
        int? csat = null, int? ces = null, string? email = null, AnswerSource source = AnswerSource.Token, string? receiptId = null, string? comment = "ok")
    {
        var message = new FeedbackSubmitted("t" + Guid.NewGuid().ToString("N")[..12], storeId, touchpoint, source,
            source == AnswerSource.Device ? "d-1" : null, source == AnswerSource.Device ? DeviceKind.Kiosk : null, receiptId, new NpsScore(score), csat, ces, [], comment, "cs", at, at, null, null, email is null ? null : new Contact(email, null));
        using var scope = app.App.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ProcessFeedbackFunction>().RunAsync(
            new QueueTrigger(System.Text.Json.JsonSerializer.Serialize(message, MessageQueue.Json), "m", 1, at), CancellationToken.None);
    }

    public static async Task<JsonArray> SeriesAsync(this AppFixture app, string scope, string period, string from, string to, string extra = "")
    {
        using var response = await app.AdminClient().GetAsync($"/api/scores?scope={scope}&period={period}&from={from}&to={to}{extra}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["series"]!.AsArray();
    }

    public static long N(this JsonArray series, string period) =>
        series.Single(p => p!["period"]!.GetValue<string>() == period)!["n"]!.GetValue<long>();

    public static IEnumerable<(string Period, long N)> Ns(this JsonArray series) =>
        series.Select(p => (p!["period"]!.GetValue<string>(), p["n"]!.GetValue<long>()));

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string url) => (await client.GetFromJsonAsync<JsonObject>(url))!;
}
