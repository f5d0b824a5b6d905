namespace Feedback.Storage.Tables;

/// <summary>
/// A query's continuation token: the service's NextPartitionKey and NextRowKey, passed through unchanged
/// (Azurite returns base64 tokens, Azure its own encoding) and joined by a space, which neither contains.
/// </summary>
internal static class TableContinuation
{
    public static string? Encode(string? nextPartitionKey, string? nextRowKey) =>
        string.IsNullOrEmpty(nextPartitionKey) ? null : nextPartitionKey + " " + nextRowKey;

    public static (string? NextPartitionKey, string? NextRowKey) Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, null);
        }

        var space = token.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return (token, null);
        }

        var rowKey = token[(space + 1)..];
        return (token[..space], rowKey.Length == 0 ? null : rowKey);
    }
}
