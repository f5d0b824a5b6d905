using System.Text;

namespace Feedback.Functions.FollowUp;

/// <summary>
/// The continuation a paged API hands out: the table's continuation, base64url-encoded, so it is one
/// opaque URL-safe value. A forged one can only move the start of a query that keeps its own filter.
/// </summary>
public static class PageToken
{
    public static string? Encode(string? continuation) =>
        continuation is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(continuation)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? token, out string? continuation)
    {
        continuation = null;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        if (token.Length > 2048)
        {
            return false;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, buffer, out var length))
        {
            return false;
        }

        continuation = Encoding.UTF8.GetString(buffer, 0, length);
        return true;
    }
}
