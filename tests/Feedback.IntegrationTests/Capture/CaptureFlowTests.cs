using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Processing;
using Feedback.Functions.Storage;
using Feedback.Functions.Tokens;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Capture;

public sealed class CaptureFlowTests(CaptureFlowTests.Fixture app) : IClassFixture<CaptureFlowTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimits:TokenPerMinute"] = "1000",
            ["RateLimits:DevicePerMinute"] = "1000",
            ["RateLimits:IpPerMinute"] = "1000",
        };
    }

    [Fact]
    public async Task TokenAnswer_IsAccepted_ThenProcessed_AndCounted()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);

        using var response = await app.SubmitAsync(new { token, score = 9, csat = 5, ces = 2, reasons = new[] { "speed" }, language = "cs" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("pending", body["status"]!.GetValue<string>());
        Assert.Equal(body["statusUrl"]!.GetValue<string>(), response.Headers.Location!.ToString());

        var status = await app.WaitForStatusAsync(body["statusUrl"]!.GetValue<string>());
        Assert.Equal(body["id"]!.GetValue<string>(), status["id"]!.GetValue<string>());
        var (all, _, answered) = await app.CountersAsync(store, Api.TodayIn("Europe/Prague"));
        Assert.Equal((1, 0, 0, 1, 1, 2, 1), (all.Promoters, all.Passives, all.Detractors, all.CsatTop2, all.CsatCount, all.CesSum, all.CesCount));
        Assert.Equal(1, answered);
    }

    [Fact]
    public async Task FiftyConcurrentAnswersAtOneStore_AreCountedExactlyFifty()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);

        var urls = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => app.SubmitAcceptedAsync(new { score = i % 11 }, key)));
        foreach (var url in urls)
        {
            await app.WaitForStatusAsync(url);
        }

        var (all, _, answered) = await app.CountersAsync(store, Api.TodayIn("Europe/Prague"));
        var scores = Enumerable.Range(0, 50).Select(i => i % 11).ToArray();
        Assert.Equal(50, answered);
        Assert.Equal(scores.Count(s => s >= 9), all.Promoters);
        Assert.Equal(scores.Count(s => s is 7 or 8), all.Passives);
        Assert.Equal(scores.Count(s => s <= 6), all.Detractors);
    }

    [Fact]
    public async Task TwentyConcurrentDifferentAnswersOnOneReceipt_OneAcceptedNineteenConflict()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store, receiptId: "R-" + Guid.NewGuid().ToString("N")[..8]);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.SubmitAsync(new { token, score = i % 11, comment = $"Answer {i}" })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var problem = await responses.First(r => r.StatusCode == HttpStatusCode.Conflict).ProblemAsync();
        Assert.Contains("already been answered", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameReceiptAndSameId_IsARetry_AnsweredTheSame()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store, receiptId: "R-" + Guid.NewGuid().ToString("N")[..8]);
        var id = "retry-" + Guid.NewGuid().ToString("N")[..10];

        var first = await app.SubmitAcceptedAsync(new { id, token, score = 3 });
        var second = await app.SubmitAcceptedAsync(new { id, token, score = 3 });

        Assert.Equal(first, second);
        await app.WaitForStatusAsync(first);
        var (_, _, answered) = await app.CountersAsync(store, Api.TodayIn("Europe/Prague"));
        Assert.Equal(1, answered);
    }

    [Fact]
    public async Task ReceiptAnswerWithoutAnId_SentAgainWithItsReasonsInAnotherOrder_IsTheSameAnswer()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store, receiptId: "R-" + Guid.NewGuid().ToString("N")[..8]);

        var first = await app.SubmitAcceptedAsync(new { token, score = 6, reasons = new[] { "staff", "wait" } });
        var second = await app.SubmitAcceptedAsync(new { token, score = 6, reasons = new[] { "wait", "staff" } });
        using var different = await app.SubmitAsync(new { token, score = 7, reasons = new[] { "wait", "staff" } });

        Assert.Equal(first, second);
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
    }

    [Fact]
    public async Task SameIdSubmittedThreeTimesConcurrently_IsOneRowCountedOnce()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var id = "dup-" + Guid.NewGuid().ToString("N")[..10];

        var urls = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => app.SubmitAcceptedAsync(new { id, score = 10 }, key)));
        Assert.Single(urls.Distinct());
        await app.WaitForStatusAsync(urls[0]);
        await Eventually.Value(() => app.App.Services.GetRequiredService<StorageAccount>().Queue(QueueNames.FeedbackSubmitted).GetApproximateMessagesCountAsync(), n => n == 0);

        var (all, _, answered) = await app.CountersAsync(store, Api.TodayIn("Europe/Prague"));
        Assert.Equal(1, answered);
        Assert.Equal(1, all.Promoters);
    }

    [Fact]
    public async Task MessageProcessedTwice_AfterACrash_IsCountedOnce()
    {
        var store = await app.CreateStoreAsync();
        var (deviceId, _) = await app.EnrollDeviceAsync(store);
        var now = DateTimeOffset.UtcNow;
        var message = new FeedbackSubmitted("crash-" + Guid.NewGuid().ToString("N")[..8], store, Touchpoint.Kiosk, AnswerSource.Device,
            deviceId, DeviceKind.Kiosk, null, new NpsScore(2), null, null, [], "cold coffee", "en", now, now, null, null, null);
        var text = System.Text.Json.JsonSerializer.Serialize(message, MessageQueue.Json);

        // As the Functions host would deliver it: twice, the second time after a crash that lost the first completion.
        using var scope = app.App.Services.CreateScope();
        var function = scope.ServiceProvider.GetRequiredService<ProcessFeedbackFunction>();
        await function.RunAsync(new Feedback.Functions.Hosting.QueueTrigger(text, "m1", 1, now), CancellationToken.None);
        await function.RunAsync(new Feedback.Functions.Hosting.QueueTrigger(text, "m1", 2, now), CancellationToken.None);

        var (all, _, answered) = await app.CountersAsync(store, Api.TodayIn("Europe/Prague"));
        Assert.Equal(1, answered);
        Assert.Equal(1, all.Detractors);
    }

    [Fact]
    public async Task CommentWithScript_IsStoredVerbatim_AndReturnedJsonEscaped()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        const string comment = "<script>alert('x')</script> & \"quotes\"";

        var url = await app.SubmitAcceptedAsync(new { score = 4, comment }, key);
        await app.WaitForStatusAsync(url);

        var table = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.Feedback);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {new StoreDay(store, Api.TodayIn("Europe/Prague")).Key}")))
        {
            rows.Add(row);
        }

        Assert.Equal(comment, Assert.Single(rows, r => r.RowKey.StartsWith("f.", StringComparison.Ordinal)).GetString("Comment"));
        using var raw = await app.SubmitAsync(new { score = 11, comment }, key);
        var json = await raw.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedExpiredWrongKeyAndOtherStoreTokens_AreUnauthorized()
    {
        var store = await app.CreateStoreAsync();
        var other = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);
        var otherToken = await app.MintTokenAsync(other);
        var claims = new QrTokenClaims("k1", store, Touchpoint.Store, null, DateTimeOffset.UtcNow.AddDays(1));
        var wrongKey = QrToken.Create(claims, new byte[32]);
        var expired = QrToken.Create(claims with { ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1) },
            app.App.Services.GetRequiredService<Feedback.Functions.Stores.StoreDirectory>().StoreKey(store, "k1")!);
        var unknownKid = token.Replace(".k1.", ".k9.", StringComparison.Ordinal);
        // Another store's signature on this store's fields.
        var otherStoreSig = string.Join('.', token.Split('.')[..^1]) + "." + otherToken.Split('.')[^1];
        var unknownStore = QrToken.Create(claims with { StoreId = "no-such-store" },
            app.App.Services.GetRequiredService<Feedback.Functions.Stores.StoreDirectory>().StoreKey("no-such-store", "k1")!);

        foreach (var bad in new[] { wrongKey, expired, unknownKid, otherStoreSig, unknownStore, token[..^2] + "AA", "garbage" })
        {
            using var response = await app.SubmitAsync(new { token = bad, score = 5 });
            Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, bad);
            Assert.Equal(401, (await response.ProblemAsync())["status"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task RevokedDevice_IsUnauthorizedAtOnce()
    {
        var store = await app.CreateStoreAsync();
        var (deviceId, key) = await app.EnrollDeviceAsync(store);
        await app.SubmitAcceptedAsync(new { score = 8 }, key);

        using var revoke = await app.AdminClient().DeleteAsync($"/api/stores/{store}/devices/{deviceId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var response = await app.SubmitAsync(new { score = 8 }, key);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var wrongSecret = await app.SubmitAsync(new { score = 8 }, deviceId + ".not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
    }

    [Fact]
    public async Task OversizeBody_Is413_AndNonJson_Is415()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var client = app.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Device-Key", key);

        using var big = await client.PostAsync("/api/feedback", new StringContent("{\"score\":1,\"comment\":\"" + new string('x', 17_000) + "\"}", Encoding.UTF8, "application/json"));
        using var form = await client.PostAsync("/api/feedback", new StringContent("score=1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var malformed = await client.PostAsync("/api/feedback", new StringContent("{\"score\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Equal(413, (await big.ProblemAsync())["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        await malformed.ProblemAsync();
    }

    [Fact]
    public async Task PosMintedReceiptToken_WithTheStoreKeyFromTheAdminApi_IsAccepted()
    {
        var store = await app.CreateStoreAsync();
        var signing = await (await app.AdminClient().GetAsync($"/api/stores/{store}/signing-key")).Content.ReadFromJsonAsync<JsonObject>();
        var key = Convert.FromBase64String(signing!["key"]!.GetValue<string>());
        var claims = new QrTokenClaims(signing["keyId"]!.GetValue<string>(), store, Touchpoint.Store, "POS-0001", DateTimeOffset.UtcNow.AddDays(1));

        var url = await app.SubmitAcceptedAsync(new { token = QrToken.Create(claims, key), score = 9 });
        using var otherStore = await app.SubmitAsync(new { token = QrToken.Create(claims with { StoreId = await app.CreateStoreAsync() }, key), score = 9 });

        await app.WaitForStatusAsync(url);
        Assert.Equal(HttpStatusCode.Unauthorized, otherStore.StatusCode);
        using var anonymous = await app.App.CreateClient().GetAsync($"/api/stores/{store}/signing-key");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task InStandaloneMode_TheHostInvocationRoutes_AreNotExposed()
    {
        using var response = await app.App.CreateClient().PostAsJsonAsync("/ProcessFeedback", new { Data = new { message = "{}" } });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SameIdDeliveredAgainOnAnotherDay_StaysInItsFirstDay_CountedOnce()
    {
        var store = await app.CreateStoreAsync();
        var id = "again-" + Guid.NewGuid().ToString("N")[..8];
        var monday = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
        using var scope = app.App.Services.CreateScope();
        var function = scope.ServiceProvider.GetRequiredService<ProcessFeedbackFunction>();
        foreach (var at in new[] { monday, monday.AddDays(1) })
        {
            // Capture fixed the day the answer counts on when it was first accepted; a later delivery (or a retry) carries it.
            var message = new FeedbackSubmitted(id, store, Touchpoint.Store, AnswerSource.Token, null, null, "R-1", new NpsScore(10), null, null, [], null, "cs", at, at, null, null, null,
                Day: new DateOnly(2026, 11, 16));
            await function.RunAsync(new Feedback.Functions.Hosting.QueueTrigger(System.Text.Json.JsonSerializer.Serialize(message, MessageQueue.Json), "m", 1, at), CancellationToken.None);
        }

        Assert.Equal(1, (await app.CountersAsync(store, new DateOnly(2026, 11, 16))).Answered);
        Assert.Equal(0, (await app.CountersAsync(store, new DateOnly(2026, 11, 17))).Answered);
    }

}
