using System.Buffers.Text;
using System.Text;
using Azure;

namespace Feedback.Functions.Storage;

/// <summary>
/// Paged table reads as the API hands them out: one page of a query, and its continuation as one
/// opaque URL-safe value (the table's continuation, base64url). A forged one can only move the start
/// of a query that keeps its own filter.
/// </summary>
public static class PageToken
{
    /// <summary>The first page of <paramref name="query"/> from <paramref name="continuation"/> (the table's own), and the next continuation.</summary>
    public static async Task<(IReadOnlyList<T> Items, string? Continuation)> FirstPageAsync<T>(this AsyncPageable<T> query, string? continuation, int pageSize)
        where T : notnull
    {
        await foreach (var page in query.AsPages(continuation, pageSize))
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }

    public static string? Encode(string? continuation) =>
        continuation is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(continuation));

    public static bool TryDecode(string? token, out string? continuation)
    {
        continuation = null;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        if (token.Length > 2048 || !Base64Url.IsValid(token, out var length))
        {
            return false;
        }

        var buffer = new byte[length];
        if (Base64Url.DecodeFromChars(token, buffer, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        continuation = Encoding.UTF8.GetString(buffer, 0, written);
        return true;
    }
}
