using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Http;

/// <summary>
/// Reads a JSON request body with the checks every endpoint needs, in order: media type (415),
/// size (413), syntax and shape (400 naming where it broke: a value of the wrong type is a field
/// error like any other, so clients see one shape).
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
        // The Web defaults read "7" as 7; a number field takes a JSON number only.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentType is null || !request.ContentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options);
            return value is null
                ? (null, Problems.Create(StatusCodes.Status400BadRequest, "Malformed JSON", "The body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? null : e.Path.TrimStart('$', '.');
            var detail = $"The JSON in {(where is null ? "the body" : $"'{where}'")} could not be read (line {e.LineNumber + 1}, position {e.BytePositionInLine}).";
            // A reader exception inside means broken syntax; otherwise the JSON is fine and a value has the wrong type.
            return (null, where is null || e.InnerException is JsonException
                ? Problems.Create(StatusCodes.Status400BadRequest, "Malformed JSON", detail)
                : TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [where] = ["Not a value of the expected type."] })
                {
                    Title = "The request is invalid",
                    Detail = detail,
                    Status = StatusCodes.Status400BadRequest,
                }));
        }
    }

    /// <summary>Reads one element of a larger body (a batch item); a wrong-typed value names its field.</summary>
    public static (T? Value, IDictionary<string, string[]>? Errors) Read<T>(JsonElement element)
        where T : class
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, new Dictionary<string, string[]> { ["item"] = ["Must be an object."] });
        }

        try
        {
            return (element.Deserialize<T>(Options), null);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "item" : e.Path.TrimStart('$', '.');
            return (null, new Dictionary<string, string[]> { [where] = ["Not a value of the expected type."] });
        }
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body may be at most {maxBytes} bytes.");
}
