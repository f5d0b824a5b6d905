namespace Feedback.Storage.Tables;

internal static class TableUris
{
    /// <summary><c>(PartitionKey='pk',RowKey='rk')</c> with quotes doubled, then percent-encoded as the SDK does.</summary>
    public static string EntityKeys(string partitionKey, string rowKey) =>
        $"(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    public static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    /// <summary>Appends name=value pairs with escaped values; nulls are left out.</summary>
    public static string WithQuery(string uri, params (string Name, string? Value)[] parameters)
    {
        var query = string.Join('&', parameters.Where(p => p.Value is not null).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
        return query.Length == 0 ? uri : uri + "?" + query;
    }
}
