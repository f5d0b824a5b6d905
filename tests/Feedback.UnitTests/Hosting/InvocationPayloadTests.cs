using System.Text.Json;
using Feedback.Functions.Hosting;

namespace Feedback.UnitTests.Hosting;

/// <summary>Reading the Functions host's invocation payload (azure-reference §1.4), quirks included.</summary>
public class InvocationPayloadTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static JsonElement Element(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    /// <summary>As ASP.NET Core binds the body of POST /{FunctionName}.</summary>
    private static InvocationRequest Request(string json) => JsonSerializer.Deserialize<InvocationRequest>(json, Web)!;

    [Theory]
    [InlineData("\"hello\"", "hello")]
    [InlineData("\"{\\\"id\\\":\\\"a1\\\",\\\"score\\\":9}\"", "{\"id\":\"a1\",\"score\":9}")]
    [InlineData("\"\"", "")]
    [InlineData("\"with \\\"quotes\\\" inside\"", "with \"quotes\" inside")]
    public void ReadText_OfAJsonString_IsItsContent(string json, string expected)
    {
        Assert.Equal(expected, InvocationPayload.ReadText(Element(json)));
    }

    [Theory]
    [InlineData("\"\\\"{\\\\\\\"id\\\\\\\":\\\\\\\"a1\\\\\\\",\\\\\\\"score\\\\\\\":9}\\\"\"", "{\"id\":\"a1\",\"score\":9}")]
    [InlineData("\"\\\"hello\\\"\"", "hello")]
    [InlineData("\"\\\"\\\"\"", "")]
    public void ReadText_OfADoubleEncodedString_DecodesItOnceMore(string json, string expected)
    {
        Assert.Equal(expected, InvocationPayload.ReadText(Element(json)));
    }

    [Fact]
    public void ReadText_OfWhatTheHostSendsForAString_RoundTripsTheOriginalText()
    {
        // The host runs the message text through JsonConvert.SerializeObject, then the payload is serialized again.
        const string original = "{\"id\":\"a1\",\"comment\":\"Rychlé \\\"díky\\\" <b>\"}";
        var payload = JsonSerializer.Serialize(new { message = JsonSerializer.Serialize(original) });

        var value = JsonDocument.Parse(payload).RootElement.GetProperty("message");

        Assert.Equal(original, InvocationPayload.ReadText(value));
    }

    [Theory]
    [InlineData("\"\\\"a\\\" and \\\"b\\\"\"", "\"a\" and \"b\"")]
    [InlineData("\"\\\"\"", "\"")]
    [InlineData("\"\\\"unterminated\"", "\"unterminated")]
    public void ReadText_OfAStringThatOnlyLooksQuoted_IsLeftAsIs(string json, string expected)
    {
        Assert.Equal(expected, InvocationPayload.ReadText(Element(json)));
    }

    [Theory]
    [InlineData("{\"id\":\"a1\",\"score\":9}")]
    [InlineData("[1,2]")]
    [InlineData("42")]
    [InlineData("true")]
    public void ReadText_OfANonString_IsItsJsonText(string json)
    {
        Assert.Equal(json, InvocationPayload.ReadText(Element(json)));
    }

    [Fact]
    public void ReadQueueTrigger_OfAHostPayload_ReadsTextAndMetadata()
    {
        var request = Request("""
            { "Data": { "message": "\"{\\\"id\\\":\\\"a1\\\"}\"" },
              "Metadata": {
                "DequeueCount": 3,
                "ExpirationTime": "2019-10-16T17:58:31+00:00",
                "Id": "800ae4b3-bdd2-4c08-badd-f08e5a34b865",
                "InsertionTime": "2019-10-09T17:58:31+00:00",
                "NextVisibleTime": "2019-10-09T18:08:32+00:00",
                "PopReceipt": "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                "sys": { "MethodName": "ProcessFeedback", "UtcNow": "2019-10-09T17:58:32.2205399Z", "RandGuid": "24ad4c06-24ad-4e5b-8294-3da9714877e9" } } }
            """);

        var trigger = InvocationPayload.ReadQueueTrigger(request, "message");

        Assert.Equal("{\"id\":\"a1\"}", trigger.Text);
        Assert.Equal("800ae4b3-bdd2-4c08-badd-f08e5a34b865", trigger.MessageId);
        Assert.Equal(3, trigger.DequeueCount);
        Assert.Equal(new DateTimeOffset(2019, 10, 9, 17, 58, 31, TimeSpan.Zero), trigger.InsertionTime);
    }

    [Fact]
    public void ReadQueueTrigger_WithoutMetadata_UsesDefaults()
    {
        var trigger = InvocationPayload.ReadQueueTrigger(Request("""{ "Data": { "message": "plain text" } }"""), "message");

        Assert.Equal(new QueueTrigger("plain text", "", 1, null), trigger);
    }

    [Fact]
    public void ReadQueueTrigger_WithUnreadableMetadata_UsesDefaults()
    {
        var request = Request("""{ "Data": { "message": "m" }, "Metadata": { "DequeueCount": "many", "InsertionTime": "yesterday", "Id": 7 } }""");

        var trigger = InvocationPayload.ReadQueueTrigger(request, "message");

        Assert.Equal(new QueueTrigger("m", "7", 1, null), trigger);
    }

    [Fact]
    public void ReadQueueTrigger_WithMetadataAsEncodedStrings_DecodesThem()
    {
        var request = Request("""{ "Data": { "message": "m" }, "Metadata": { "DequeueCount": "\"4\"", "Id": "\"abc\"", "InsertionTime": "\"2024-05-06T07:08:09Z\"" } }""");

        var trigger = InvocationPayload.ReadQueueTrigger(request, "message");

        Assert.Equal(new QueueTrigger("m", "abc", 4, new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero)), trigger);
    }

    [Theory]
    [InlineData("""{ "Metadata": { "DequeueCount": 1 } }""")]
    [InlineData("""{ "Data": null }""")]
    [InlineData("""{ "Data": {} }""")]
    [InlineData("""{ "Data": { "myQueueItem": "m" } }""")]
    public void ReadQueueTrigger_WithoutTheBinding_ThrowsNamingIt(string json)
    {
        var e = Assert.Throws<InvalidInvocationException>(() => InvocationPayload.ReadQueueTrigger(Request(json), "message"));

        Assert.Contains("Data.message", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTimerTrigger_OfAHostPayload_ReadsPastDueAndTheHostsTime()
    {
        var request = Request("""
            { "Data": { "myTimer": { "Schedule": { "AdjustForDST": true },
                                     "ScheduleStatus": { "Last": "2016-10-04T10:15:00+00:00", "Next": "2016-10-04T10:20:00+00:00", "LastUpdated": "2016-10-04T10:16:00+00:00" },
                                     "IsPastDue": true } },
              "Metadata": { "sys": { "MethodName": "Cleanup", "UtcNow": "2016-10-04T10:20:00.0123Z", "RandGuid": "24ad4c06-24ad-4e5b-8294-3da9714877e9" } } }
            """);

        var trigger = InvocationPayload.ReadTimerTrigger(request, "myTimer", Now);

        Assert.True(trigger.IsPastDue);
        Assert.Equal(new DateTimeOffset(2016, 10, 4, 10, 20, 0, TimeSpan.Zero).AddTicks(123_000), trigger.ScheduledTime);
    }

    [Theory]
    [InlineData("""{ "Data": { "myTimer": { "IsPastDue": false } }, "Metadata": { "sys": {} } }""")]
    [InlineData("""{ "Data": { "myTimer": { "ScheduleStatus": null } } }""")]
    [InlineData("""{ "Data": { "myTimer": "not an object" }, "Metadata": { "sys": { "UtcNow": "not a time" } } }""")]
    [InlineData("""{ "Data": { "other": { "IsPastDue": true } }, "Metadata": { "sys": "x" } }""")]
    [InlineData("""{}""")]
    public void ReadTimerTrigger_WithoutPastDueOrHostTime_IsNotPastDue_AndScheduledNow(string json)
    {
        var trigger = InvocationPayload.ReadTimerTrigger(Request(json), "myTimer", Now);

        Assert.Equal(new TimerTrigger(Now, false), trigger);
    }
}
