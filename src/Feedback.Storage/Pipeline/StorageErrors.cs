using System.Text.Json;
using System.Xml.Linq;
using Azure;

namespace Feedback.Storage.Pipeline;

internal static class StorageErrors
{
    /// <summary>A <see cref="RequestFailedException"/> with the service's status, error code and message.</summary>
    public static RequestFailedException Create(Response response)
    {
        var (code, message) = Parse(response.Content.ToString());
        if (response.Headers.TryGetValue("x-ms-error-code", out var headerCode))
        {
            code = headerCode;
        }

        return Create(response.Status, code, message ?? response.ReasonPhrase);
    }

    public static RequestFailedException Create(int status, string? code, string? message) =>
        new(status, $"Service request failed. Status: {status}; ErrorCode: {code}; {message}", code, null);

    /// <summary>Reads the code and message from a Table (JSON) or Queue (XML) error body.</summary>
    public static (string? Code, string? Message) Parse(string body)
    {
        body = body.Trim();
        try
        {
            if (body.StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("odata.error", out var error))
                {
                    var message = error.TryGetProperty("message", out var m)
                        ? m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString()
                        : null;
                    return (error.GetProperty("code").GetString(), message);
                }
            }
            else if (body.StartsWith('<'))
            {
                var root = XElement.Parse(body);
                return (root.Element("Code")?.Value, root.Element("Message")?.Value);
            }
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException or KeyNotFoundException or InvalidOperationException)
        {
            // An unreadable error body still produces an exception with the status.
        }

        return (null, null);
    }
}
