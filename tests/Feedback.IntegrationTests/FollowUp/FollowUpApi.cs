using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.FollowUp;

/// <summary>The calls the follow-up tests make again and again.</summary>
public static class FollowUpApi
{
    public static readonly string[] AllEvents = ["case.opened", "alert.burst"];

    /// <summary>A store with an enrolled kiosk, whose key answers without a QR token.</summary>
    public static async Task<(string StoreId, string KioskKey)> CreateStoreWithKioskAsync(this AppFixture app)
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        return (store, key);
    }

    /// <summary>Subscribes the store (or "*") and returns the generated secret.</summary>
    public static async Task<string> SubscribeAsync(this AppFixture app, string storeKey, string url, string[]? events = null)
    {
        using var response = await app.AdminClient().PutAsJsonAsync($"/api/stores/{storeKey}/webhooks", new { url, events = events ?? AllEvents });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!.GetValue<string>();
    }

    /// <summary>Answers on the kiosk and returns the feedback id.</summary>
    public static async Task<string> AnswerAsync(this AppFixture app, string kioskKey, int score, object? contact = null, string? comment = null)
    {
        using var response = await app.SubmitAsync(new { score, comment, reasons = new[] { "speed" }, language = "cs", contact }, kioskKey);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public static async Task<JsonObject> CasesPageAsync(this AppFixture app, string storeId, string? status = null, int? pageSize = null, string? continuation = null)
    {
        var query = $"/api/cases?storeId={storeId}" + (status is null ? "" : "&status=" + status) + (pageSize is null ? "" : "&pageSize=" + pageSize)
                    + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation));
        using var response = await app.AdminClient().GetAsync(query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<IReadOnlyList<JsonObject>> CasesAsync(this AppFixture app, string storeId, string? status = null) =>
        [.. (await app.CasesPageAsync(storeId, status))["items"]!.AsArray().Select(c => c!.AsObject())];

    public static async Task<JsonObject> WaitForCaseAsync(this AppFixture app, string storeId, string feedbackId, TimeSpan? timeout = null) =>
        (await Eventually.Value(
            () => app.CasesAsync(storeId),
            cases => cases.Any(c => c["feedbackId"]!.GetValue<string>() == feedbackId),
            timeout ?? TimeSpan.FromSeconds(20))).Single(c => c["feedbackId"]!.GetValue<string>() == feedbackId);

    public static async Task<HttpResponseMessage> PatchCaseAsync(this AppFixture app, string caseId, string status, string? note = null) =>
        await app.AdminClient().PatchAsJsonAsync($"/api/cases/{caseId}", new { status, note });

    public static async Task<JsonObject> DeliveryAsync(this AppFixture app, string webhookId) =>
        (await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/webhooks/deliveries/{webhookId}"))!;

    /// <summary>
    /// Waits until every message of the pipeline has been handled: the queues count a message until its
    /// handler has finished and deleted it, so empty queues mean nothing more is on its way.
    /// </summary>
    public static async Task DrainAsync(this AppFixture app, TimeSpan? timeout = null)
    {
        var storage = app.App.Services.GetRequiredService<StorageAccount>();
        string[] queues = [QueueNames.FeedbackSubmitted, QueueNames.FollowUpRequested, QueueNames.WebhookDeliveries];
        await Eventually.Value(
            async () => (await Task.WhenAll(queues.Select(q => storage.Queue(q).GetApproximateMessagesCountAsync()))).Sum(),
            n => n == 0,
            timeout ?? TimeSpan.FromSeconds(30));
    }
}

/// <summary>A clock the test moves by hand; frozen in between, so times are exact.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
