using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Feedback.Functions.Hosting;

/// <summary>What the Functions host posts to <c>/{FunctionName}</c> for non-HTTP triggers.</summary>
public sealed record InvocationRequest(Dictionary<string, JsonElement>? Data, Dictionary<string, JsonElement>? Metadata);

/// <summary>
/// What the host expects back. Any 2xx with this body completes the invocation. Named as the host
/// documents them, whatever naming policy the app's JSON uses elsewhere.
/// </summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResponse Empty { get; } = new(new Dictionary<string, object?>(), [], null);
}

/// <summary>Reads trigger values out of the host's invocation payload, tolerating its encoding quirks.</summary>
public static class InvocationPayload
{
    /// <summary>
    /// The queue message text. The host JSON-encodes a string value once more, so a value that is
    /// itself a JSON string literal is decoded a second time; an object is taken as its JSON text.
    /// </summary>
    public static string ReadText(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value.GetRawText();
        }

        var text = value.GetString()!;
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize<string>(text) ?? text;
            }
            catch (JsonException)
            {
                return text;
            }
        }

        return text;
    }

    public static QueueTrigger ReadQueueTrigger(InvocationRequest request, string bindingName)
    {
        if (request.Data is null || !request.Data.TryGetValue(bindingName, out var value))
        {
            throw new InvalidInvocationException($"Data.{bindingName} is missing.");
        }

        var metadata = request.Metadata ?? [];
        return new QueueTrigger(
            ReadText(value),
            metadata.TryGetValue("Id", out var id) ? ReadText(id) : "",
            metadata.TryGetValue("DequeueCount", out var count) && TryReadLong(count, out var n) ? n : 1,
            metadata.TryGetValue("InsertionTime", out var inserted) && TryReadDate(inserted, out var at) ? at : null);
    }

    public static TimerTrigger ReadTimerTrigger(InvocationRequest request, string bindingName, DateTimeOffset now)
    {
        var pastDue = request.Data is not null && request.Data.TryGetValue(bindingName, out var timer) &&
                      timer.ValueKind == JsonValueKind.Object &&
                      timer.TryGetProperty("IsPastDue", out var p) && p.ValueKind == JsonValueKind.True;
        var scheduled = request.Metadata is not null && request.Metadata.TryGetValue("sys", out var sys) &&
                        sys.ValueKind == JsonValueKind.Object && sys.TryGetProperty("UtcNow", out var utcNow) &&
                        TryReadDate(utcNow, out var at)
            ? at
            : now;
        return new TimerTrigger(scheduled, pastDue);
    }

    private static bool TryReadLong(JsonElement value, out long result) =>
        value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt64(out result)
            : long.TryParse(ReadText(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out result);

    private static bool TryReadDate(JsonElement value, out DateTimeOffset result) =>
        DateTimeOffset.TryParse(ReadText(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out result);
}

public sealed class InvalidInvocationException(string message) : Exception(message);
