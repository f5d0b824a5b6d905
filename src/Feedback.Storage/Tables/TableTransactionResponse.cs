using System.Globalization;
using System.Text.RegularExpressions;
using Azure;
using Feedback.Storage.Pipeline;

namespace Feedback.Storage.Tables;

/// <summary>Reads the multipart/mixed response of an entity group transaction.</summary>
internal static partial class TableTransactionResponse
{
    public sealed record Part(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>Splits the response into its HTTP sub-responses, in order.</summary>
    public static IReadOnlyList<Part> Parse(string contentType, string body)
    {
        var batch = BoundaryParameter().Match(contentType);
        if (!batch.Success)
        {
            throw new FormatException($"The transaction response has no multipart boundary (Content-Type: {contentType}).");
        }

        // The sub-responses sit in a nested changeset; an early error may come without one.
        var changeset = NestedBoundary().Match(body);
        var delimiter = "--" + (changeset.Success ? changeset.Groups[1].Value : batch.Groups[1].Value);
        var parts = new List<Part>();
        foreach (var section in body.Split(delimiter))
        {
            var start = section.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
            if (start >= 0)
            {
                parts.Add(ParsePart(section[start..]));
            }
        }

        return parts;
    }

    /// <summary>The ETag of each action (default for a delete), or the failure as an exception.</summary>
    public static IReadOnlyList<ETag> Evaluate(IReadOnlyList<Part> parts, int actionCount)
    {
        var failed = parts.FirstOrDefault(p => p.Status >= 400);
        if (failed is not null)
        {
            throw Failure(failed);
        }

        if (parts.Count != actionCount)
        {
            throw new RequestFailedException(
                $"The transaction response holds {parts.Count} sub-responses for {actionCount} actions.");
        }

        return parts.Select(p => p.Headers.TryGetValue("ETag", out var etag) ? new ETag(etag) : default).ToArray();
    }

    public static TableTransactionFailedException Failure(Part part)
    {
        var (code, message) = StorageErrors.Parse(part.Body);
        var index = -1;
        var prefix = message is null ? Match.Empty : IndexPrefix().Match(message);
        if (prefix.Success)
        {
            // The service prefixes the message with the failing action's 0-based index.
            index = int.Parse(prefix.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        else if (part.Headers.TryGetValue("Content-ID", out var contentId) && int.TryParse(contentId, CultureInfo.InvariantCulture, out var id))
        {
            index = id - 1;
        }

        return new TableTransactionFailedException(
            part.Status,
            $"Transaction action {index} failed. Status: {part.Status}; ErrorCode: {code}; {message}",
            code,
            index);
    }

    private static Part ParsePart(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 1;
        for (; i < lines.Count && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
            }
        }

        return new Part(status, headers, string.Join('\n', lines.Skip(i + 1)).Trim());
    }

    [GeneratedRegex(@"boundary=""?([^"";\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryParameter();

    [GeneratedRegex(@"Content-Type:\s*multipart/mixed;\s*boundary=([^\s;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex NestedBoundary();

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex IndexPrefix();
}
