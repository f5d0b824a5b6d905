using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.Capture;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Hosting;

/// <summary>
/// The custom-handler protocol as the Functions host speaks it (azure-reference §1.4–1.5):
/// POST /ProcessFeedback with the queue message in Data, answered with Outputs/Logs/ReturnValue.
/// Triggers are off, so only these invocations process anything.
/// </summary>
[Collection(TriggersOffCollection.Name)]
public sealed class InvocationContractTests(TriggersOffFixture app)
{
    private const string Zone = "Europe/Prague";

    public enum TextEncoding
    {
        /// <summary>The message text as a JSON string, as the docs' sample shows.</summary>
        JsonString,

        /// <summary>A JSON string whose content is a JSON string literal, as the host's JsonConvert.SerializeObject produces.</summary>
        DoubleEncoded,
    }

    [Theory]
    [InlineData(TextEncoding.JsonString)]
    [InlineData(TextEncoding.DoubleEncoded)]
    public async Task QueueInvocation_StoresAndCountsTheAnswerOnce_EvenWhenPostedTwice(TextEncoding encoding)
    {
        var store = await app.CreateStoreAsync();
        var answer = Answer(store, score: 9, csat: 4);
        var text = JsonSerializer.Serialize(answer, MessageQueue.Json);
        var message = encoding == TextEncoding.JsonString ? JsonValue.Create(text) : JsonValue.Create(JsonSerializer.Serialize(text));

        using var first = await InvokeAsync(Payload(message));
        using var second = await InvokeAsync(Payload(message, dequeueCount: 2));

        await AssertCompletedAsync(first);
        await AssertCompletedAsync(second);
        var row = await app.AnswerRowAsync(store, answer.Id);
        Assert.NotNull(row);
        Assert.Equal((9, 4, "kiosk", "device"), (row.GetInt32("Score"), row.GetInt32("Csat"), row.GetString("Touchpoint"), row.GetString("Source")));
        var (all, _, answered) = await app.CountersAsync(store, StoreDay.LocalDate(answer.SubmittedAt, Zone));
        Assert.Equal(1, answered);
        Assert.Equal((1, 1), (all.Promoters, all.CsatTop2));
        Assert.Equal("processed", (await app.Client.GetFromJsonAsync<JsonObject>(StatusUrl(store, answer.Id)))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task QueueInvocation_WithTheMessageAsAnObject_OrWithoutMetadata_OrInvocationHeaders_IsProcessed()
    {
        var store = await app.CreateStoreAsync();
        var asObject = Answer(store, score: 3);
        var bare = Answer(store, score: 4);

        using var objectResponse = await InvokeAsync(Payload(JsonSerializer.SerializeToNode(asObject, MessageQueue.Json)));
        using var bareResponse = await InvokeAsync(
            new JsonObject { ["Data"] = new JsonObject { ["message"] = JsonSerializer.Serialize(bare, MessageQueue.Json) } },
            invocationId: null);

        await AssertCompletedAsync(objectResponse);
        await AssertCompletedAsync(bareResponse);
        Assert.Equal(3, (await app.AnswerRowAsync(store, asObject.Id))?.GetInt32("Score"));
        Assert.Equal(4, (await app.AnswerRowAsync(store, bare.Id))?.GetInt32("Score"));
    }

    [Fact]
    public async Task QueueInvocation_ForAnUnknownStore_Completes_AndStoresNothing()
    {
        var unknown = Api.NewStoreId();
        var answer = Answer(unknown, score: 5);

        using var response = await InvokeAsync(Payload(JsonValue.Create(JsonSerializer.Serialize(answer, MessageQueue.Json))));

        await AssertCompletedAsync(response);
        Assert.Null(await app.AnswerRowAsync(unknown, answer.Id));
        Assert.Empty(await app.AnswerRowsAsync(unknown, StoreDay.LocalDate(answer.SubmittedAt, Zone)));
        Assert.Equal(0, (await app.CountersAsync(unknown, StoreDay.LocalDate(answer.SubmittedAt, Zone))).Answered);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"id\":\"truncated")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    public async Task QueueInvocation_WithAMalformedMessage_FailsWithAJsonBody_SoTheHostRetries(string text)
    {
        using var response = await InvokeAsync(Payload(JsonValue.Create(text)));

        Assert.False(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        Assert.InRange((int)response.StatusCode, 400, 599);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.NotEmpty(body["Logs"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"Metadata":{"DequeueCount":1,"Id":"m-1"}}""")]
    [InlineData("""{"Data":null,"Metadata":{}}""")]
    [InlineData("""{"Data":{},"Metadata":{}}""")]
    [InlineData("""{"Data":{"myQueueItem":"{}"},"Metadata":{}}""")]
    public async Task QueueInvocation_WithoutTheTriggerData_IsBadRequestWithAJsonBody(string payload)
    {
        using var response = await InvokeAsync(JsonNode.Parse(payload)!.AsObject());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject);
    }

    [Fact]
    public async Task QueueInvocation_TheSameAnswerFromTwoHostInstancesAtOnce_IsCountedOnce()
    {
        var store = await app.CreateStoreAsync();
        var answer = Answer(store, score: 0);
        var message = JsonValue.Create(JsonSerializer.Serialize(JsonSerializer.Serialize(answer, MessageQueue.Json)));

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => InvokeAsync(Payload(message, dequeueCount: i + 1))));

        foreach (var response in responses)
        {
            await AssertCompletedAsync(response);
            response.Dispose();
        }

        var (all, _, answered) = await app.CountersAsync(store, StoreDay.LocalDate(answer.SubmittedAt, Zone));
        Assert.Equal((1, 1), (answered, all.Detractors));
    }

    private static FeedbackSubmitted Answer(string storeId, int score, int? csat = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new FeedbackSubmitted("inv-" + Guid.NewGuid().ToString("N")[..12], storeId, Touchpoint.Kiosk, AnswerSource.Device,
            "d0123456789abcdef", DeviceKind.Kiosk, null, new NpsScore(score), csat, null, ["speed"], "Rychlé a milé \"díky\"", "cs", now, now, null, null, null);
    }

    /// <summary>A queue-trigger payload shaped like azure-reference §1.4(a).</summary>
    private static JsonObject Payload(JsonNode? message, int dequeueCount = 1)
    {
        var now = DateTimeOffset.UtcNow;
        return new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = message?.DeepClone() },
            ["Metadata"] = new JsonObject
            {
                ["DequeueCount"] = dequeueCount,
                ["ExpirationTime"] = now.AddDays(7).ToString("O"),
                ["Id"] = Guid.NewGuid().ToString(),
                ["InsertionTime"] = now.ToString("O"),
                ["NextVisibleTime"] = now.AddMinutes(10).ToString("O"),
                ["PopReceipt"] = "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                ["sys"] = new JsonObject
                {
                    ["MethodName"] = "ProcessFeedback",
                    ["UtcNow"] = now.ToString("O"),
                    ["RandGuid"] = Guid.NewGuid().ToString(),
                },
            },
        };
    }

    private Task<HttpResponseMessage> InvokeAsync(JsonObject payload, string? invocationId = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/ProcessFeedback")
        {
            Content = new StringContent(payload.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        if (invocationId is not null)
        {
            request.Headers.Add("X-Azure-Functions-InvocationId", invocationId.Length > 0 ? invocationId : Guid.NewGuid().ToString());
            request.Headers.Add("X-Azure-Functions-HostVersion", "4.1037.0.0");
            request.Headers.Add("User-Agent", "Azure-Functions-Host/4.1037.0.0");
        }

        return app.App.CreateClient().SendAsync(request);
    }

    /// <summary>A 2xx the host can read: JSON with exactly the documented keys, no outputs for a function without output bindings.</summary>
    private static async Task AssertCompletedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["Logs", "Outputs", "ReturnValue"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Empty(body["Outputs"]!.AsObject());
        Assert.NotNull(body["Logs"] as JsonArray);
        Assert.Null(body["ReturnValue"]);
    }

    private string StatusUrl(string storeId, string id) =>
        StatusLinks.Path(app.App.Services.GetRequiredService<StatusLinks>().For(new StoreDay(storeId, Api.TodayIn("Europe/Prague")), id));
}
