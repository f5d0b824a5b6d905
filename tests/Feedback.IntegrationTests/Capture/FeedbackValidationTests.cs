using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Capture;

/// <summary>
/// Every rule of POST /api/feedback: a 400 validation problem naming exactly the broken fields, and
/// nothing enqueued. Triggers are off, so whatever reaches the queue stays there to be counted.
/// </summary>
[Collection(TriggersOffCollection.Name)]
public sealed class FeedbackValidationTests(TriggersOffFixture app)
{
    private static string Text(int length) => new('x', length);

    /// <summary>Bodies sent with a device key, each broken in one field.</summary>
    public static TheoryData<string, string> InvalidDeviceAnswers => new()
    {
        { """{"id":"abcdefg","score":5}""", "id" },
        { $$"""{"id":"{{new string('a', 65)}}","score":5}""", "id" },
        { """{"id":"a b","score":5}""", "id" },
        { """{"id":"abcd efgh","score":5}""", "id" },
        { """{"id":"abcdefgh!","score":5}""", "id" },
        { """{}""", "score" },
        { """{"score":null}""", "score" },
        { """{"score":-1}""", "score" },
        { """{"score":11}""", "score" },
        { """{"score":7.5}""", "score" },
        { """{"score":"7"}""", "score" },
        { """{"score":true}""", "score" },
        { """{"score":5,"csat":0}""", "csat" },
        { """{"score":5,"csat":6}""", "csat" },
        { """{"score":5,"ces":0}""", "ces" },
        { """{"score":5,"ces":8}""", "ces" },
        { $$"""{"score":5,"reasons":[{{string.Join(',', Enumerable.Range(0, 11).Select(i => $"\"r{i}\""))}}]}""", "reasons" },
        { $$"""{"score":5,"reasons":["{{Text(41)}}"]}""", "reasons" },
        { """{"score":5,"reasons":[""]}""", "reasons" },
        { """{"score":5,"reasons":[null]}""", "reasons" },
        { $$"""{"score":5,"comment":"{{Text(2001)}}"}""", "comment" },
        { """{"score":5,"language":"english"}""", "language" },
        { """{"score":5,"language":"c"}""", "language" },
        { """{"score":5,"language":"cs_CZ"}""", "language" },
        { """{"score":5,"touchpoint":"shop"}""", "touchpoint" },
        { """{"score":5,"touchpoint":"Store"}""", "touchpoint" },
        { """{"score":5,"touchpoint":""}""", "touchpoint" },
        { """{"score":5,"submittedAt":"yesterday"}""", "submittedAt" },
        { $$"""{"score":5,"journeyId":"{{Text(65)}}"}""", "journeyId" },
        { """{"score":5,"journeyId":""}""", "journeyId" },
        { $$"""{"score":5,"staffId":"{{Text(65)}}"}""", "staffId" },
        { """{"score":5,"contact":{"email":"not-an-address","consent":true}}""", "contact.email" },
        { """{"score":5,"contact":{"email":"not-an-address","consent":false}}""", "contact.email" },
        { """{"score":5,"contact":{"phone":"call me","consent":true}}""", "contact.phone" },
        { """{"score":5,"contact":{"phone":"12345","consent":true}}""", "contact.phone" },
    };

    /// <summary>The limits themselves are allowed.</summary>
    public static TheoryData<string> ValidDeviceAnswers => new()
    {
        """{"score":0}""",
        """{"score":10,"csat":1,"ces":1}""",
        """{"score":5,"csat":5,"ces":7}""",
        $$"""{"id":"abcdefgh","score":5}""",
        $$"""{"id":"{{new string('a', 63)}}_","score":5}""",
        $$"""{"score":5,"reasons":[{{string.Join(',', Enumerable.Range(0, 10).Select(_ => $"\"{Text(40)}\""))}}]}""",
        $$"""{"score":5,"comment":"{{Text(2000)}}"}""",
        """{"score":5,"language":"cs"}""",
        """{"score":5,"language":"cs-CZ"}""",
        """{"score":5,"touchpoint":"delivery"}""",
        $$"""{"score":5,"journeyId":"{{Text(64)}}","staffId":"{{Text(64)}}"}""",
        """{"score":5,"contact":{"email":"ana@example.com","phone":"+420 123 456 789","consent":true}}""",
    };

    [Theory]
    [MemberData(nameof(InvalidDeviceAnswers))]
    public async Task DeviceAnswer_WithInvalidField_IsProblemNamingOnlyThatField(string json, string field)
    {
        var (_, key, _) = await StoreAsync();

        using var response = await PostAsync(json, key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new[] { field }, await ErrorFieldsAsync(response));
    }

    [Theory]
    [MemberData(nameof(ValidDeviceAnswers))]
    public async Task DeviceAnswer_AtTheLimits_IsAccepted(string json)
    {
        var (_, key, _) = await StoreAsync();

        using var response = await PostAsync(json, key);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"score":5}""", "token")]
    [InlineData("""{"token":"","score":5}""", "token")]
    [InlineData("""{"token":"{token}","score":5,"touchpoint":"store"}""", "touchpoint")]
    [InlineData("""{"token":"{token}","score":5,"touchpoint":"kiosk"}""", "touchpoint")]
    [InlineData("""{"token":"{token}","score":5,"submittedAt":"2020-01-01T00:00:00Z"}""", "submittedAt")]
    [InlineData("""{"token":"{token}","score":11}""", "score")]
    [InlineData("""{"token":"{token}","score":"7"}""", "score")]
    public async Task TokenAnswer_WithInvalidField_IsProblemNamingOnlyThatField(string json, string field)
    {
        var (_, _, token) = await StoreAsync();

        using var response = await PostAsync(json.Replace("{token}", token, StringComparison.Ordinal), deviceKey: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new[] { field }, await ErrorFieldsAsync(response));
    }

    [Fact]
    public async Task TokenAnswer_SubmittedAtNow_IsRejected_WhileTheSameFromADevice_IsAccepted()
    {
        var (_, key, token) = await StoreAsync();
        var now = DateTimeOffset.UtcNow;

        using var fromToken = await app.SubmitAsync(new { token, score = 5, submittedAt = now });
        using var fromDevice = await app.SubmitAsync(new { score = 5, submittedAt = now }, key);

        Assert.Equal(new[] { "submittedAt" }, await ErrorFieldsAsync(fromToken));
        Assert.Equal(HttpStatusCode.Accepted, fromDevice.StatusCode);
    }

    [Theory]
    [InlineData(-8 * 24 * 60, false)]
    [InlineData(-7 * 24 * 60 - 5, false)]
    [InlineData(-7 * 24 * 60 + 5, true)]
    [InlineData(-60, true)]
    [InlineData(4, true)]
    [InlineData(6, false)]
    [InlineData(60, false)]
    public async Task DeviceAnswer_SubmittedAt_IsAllowedFromSevenDaysAgoToFiveMinutesAhead(int minutesFromNow, bool accepted)
    {
        var (_, key, _) = await StoreAsync();

        using var response = await app.SubmitAsync(new { score = 5, submittedAt = DateTimeOffset.UtcNow.AddMinutes(minutesFromNow) }, key);

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        else
        {
            Assert.Equal(new[] { "submittedAt" }, await ErrorFieldsAsync(response));
        }
    }

    [Theory]
    [InlineData("store")]
    [InlineData("kiosk")]
    [InlineData("web")]
    [InlineData("app")]
    [InlineData("callcenter")]
    [InlineData("chatbot")]
    [InlineData("delivery")]
    public async Task DeviceAnswer_WithEveryKnownTouchpoint_IsAccepted(string touchpoint)
    {
        var (_, key, _) = await StoreAsync();

        using var response = await app.SubmitAsync(new { score = 5, touchpoint }, key);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task SeveralBadFields_AreAllNamed()
    {
        var (_, key, _) = await StoreAsync();

        using var response = await app.SubmitAsync(new
        {
            id = "short",
            score = 11,
            csat = 0,
            ces = 9,
            reasons = new[] { Text(41) },
            comment = Text(2001),
            language = "klingon",
            touchpoint = "moon",
            submittedAt = DateTimeOffset.UtcNow.AddDays(-30),
            journeyId = Text(65),
            staffId = Text(65),
            contact = new { email = "@", phone = "x", consent = true },
        }, key);

        Assert.Equal(
            new[] { "ces", "comment", "contact.email", "contact.phone", "csat", "id", "journeyId", "language", "reasons", "score", "staffId", "submittedAt", "touchpoint" },
            await ErrorFieldsAsync(response));
    }

    [Theory]
    [InlineData("""[{"score":5}]""")]
    [InlineData("null")]
    [InlineData("\"score\"")]
    [InlineData("5")]
    public async Task BodyThatIsNotAnObject_IsBadRequest(string json)
    {
        var (_, key, _) = await StoreAsync();

        using var withKey = await PostAsync(json, key);
        using var withoutKey = await PostAsync(json, deviceKey: null);

        Assert.Equal(HttpStatusCode.BadRequest, withKey.StatusCode);
        Assert.Equal(400, (await withKey.ProblemAsync())["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, withoutKey.StatusCode);
        Assert.Equal(400, (await withoutKey.ProblemAsync())["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task RejectedAnswers_EnqueueNothing()
    {
        var (_, key, token) = await StoreAsync();
        var before = await app.QueueCountAsync(QueueNames.FeedbackSubmitted);

        foreach (var (json, _) in InvalidDeviceAnswers.Select(row => ((string)row[0], (string)row[1])))
        {
            using var response = await PostAsync(json, key);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var tokenResponse = await app.SubmitAsync(new { token, score = 5, touchpoint = "web" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tokenResponse.StatusCode);
        }

        Assert.Equal(before, await app.QueueCountAsync(QueueNames.FeedbackSubmitted));

        // The same count sees an accepted answer, so an enqueue above would have shown.
        await app.SubmitAcceptedAsync(new { score = 5 }, key);
        Assert.Equal(before + 1, await app.QueueCountAsync(QueueNames.FeedbackSubmitted));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    public async Task ContactWithoutConsent_IsDropped_BeforeItIsStored(bool? consent)
    {
        var (store, key, token) = await StoreAsync();
        var deviceId = NewId();
        var tokenId = NewId();

        await app.SubmitAcceptedAsync(new { id = deviceId, score = 6, contact = new { email = "ana@example.com", phone = "+420123456789", consent } }, key);
        await app.SubmitAcceptedAsync(new { id = tokenId, token, score = 6, contact = new { email = "ana@example.com", phone = "+420123456789", consent } });
        await app.ProcessWaitingAsync();

        foreach (var id in new[] { deviceId, tokenId })
        {
            var row = await app.AnswerRowAsync(store, id);
            Assert.NotNull(row);
            Assert.Equal(6, row.GetInt32("Score"));
            Assert.Null(row.GetString("ContactEmail"));
            Assert.Null(row.GetString("ContactPhone"));
        }
    }

    [Fact]
    public async Task ContactWithConsent_IsStored()
    {
        var (store, key, token) = await StoreAsync();
        var deviceId = NewId();
        var tokenId = NewId();

        await app.SubmitAcceptedAsync(new { id = deviceId, score = 9, contact = new { email = "ana@example.com", consent = true } }, key);
        await app.SubmitAcceptedAsync(new { id = tokenId, token, score = 9, contact = new { phone = "+420 123 456 789", consent = true } });
        await app.ProcessWaitingAsync();

        var fromDevice = await app.AnswerRowAsync(store, deviceId);
        var fromToken = await app.AnswerRowAsync(store, tokenId);
        Assert.Equal("ana@example.com", fromDevice?.GetString("ContactEmail"));
        Assert.Null(fromDevice?.GetString("ContactPhone"));
        Assert.Equal("+420 123 456 789", fromToken?.GetString("ContactPhone"));
        Assert.Null(fromToken?.GetString("ContactEmail"));
    }

    private async Task<(string Store, string DeviceKey, string Token)> StoreAsync()
    {
        var store = await app.CreateStoreAsync();
        return (store, (await app.EnrollDeviceAsync(store)).DeviceKey, await app.MintTokenAsync(store));
    }

    private static string NewId() => "v-" + Guid.NewGuid().ToString("N")[..12];

    private Task<HttpResponseMessage> PostAsync(string json, string? deviceKey)
    {
        var client = app.App.CreateClient();
        if (deviceKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Device-Key", deviceKey);
        }

        return client.PostAsync("/api/feedback", new StringContent(json, Encoding.UTF8, "application/json"));
    }

    /// <summary>The field names of a validation problem, sorted; asserts the problem shape on the way.</summary>
    private static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        var errors = Assert.IsType<JsonObject>(problem["errors"]);
        Assert.All(errors, e => Assert.NotEmpty(e.Value!.AsArray()));
        return [.. errors.Select(e => e.Key).Order(StringComparer.Ordinal)];
    }
}
