using System.Buffers.Text;
using System.Text;
using Azure;

namespace Feedback.Functions.Storage;

/// <summary>
/// Paged table reads as the API hands them out: one page of a query, and its continuation as one
/// opaque URL-safe value (the table's continuation, base64url). A forged one can only move the start
/// of a query that keeps its own filter: one that is not shaped like the table's (one or two keys of
/// printable ASCII, a space between) is refused here, and one the table refuses is the caller's 400
/// (<see cref="PageTokenRefusedException"/>), never a storage failure.
/// </summary>
public static class PageToken
{
    /// <summary>The first page of <paramref name="query"/> from <paramref name="continuation"/> (the table's own), and the next continuation.</summary>
    public static async Task<(IReadOnlyList<T> Items, string? Continuation)> FirstPageAsync<T>(this AsyncPageable<T> query, string? continuation, int pageSize)
        where T : notnull
    {
        try
        {
            await foreach (var page in query.AsPages(continuation, pageSize))
            {
                return (page.Values, page.ContinuationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status == 400 && continuation is not null)
        {
            throw new PageTokenRefusedException(e);
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
        return IsTableShaped(continuation);
    }

    /// <summary>Next partition key, and next row key after a space: what the Tables SDK hands out and reads back.</summary>
    private static bool IsTableShaped(string continuation) =>
        continuation.Split(' ') is { Length: 1 or 2 } keys && keys.All(k => k.Length > 0 && k.All(c => c is > ' ' and <= '~'));
}

/// <summary>The table refused a continuation the client sent: answered as a 400 naming <c>continuation</c>.</summary>
public sealed class PageTokenRefusedException(Exception inner) : Exception("The table refused the continuation.", inner)
{
    public const string Field = "continuation";

    public const string Rule = "Pass the continuation of the previous page unchanged.";
}
