using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace Feedback.Storage.Tables;

/// <summary>
/// A table entity as a property bag with case-sensitive names. PartitionKey, RowKey and Timestamp
/// live in the bag like the official SDK's entity; values are string, int, long, double, bool,
/// DateTimeOffset (or DateTime), Guid or byte[]. A null value is not stored by the service.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The name mirrors Azure.Data.Tables.TableEntity.")]
public sealed class TableEntity : IDictionary<string, object?>
{
    internal const string PartitionKeyName = "PartitionKey";
    internal const string RowKeyName = "RowKey";
    internal const string TimestampName = "Timestamp";

    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public TableEntity()
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey
    {
        get => GetString(PartitionKeyName) ?? "";
        set => _properties[PartitionKeyName] = value;
    }

    public string RowKey
    {
        get => GetString(RowKeyName) ?? "";
        set => _properties[RowKeyName] = value;
    }

    /// <summary>The entity's version as returned by the service; the If-Match value for updates.</summary>
    public ETag ETag { get; set; }

    /// <summary>Set by the service on every write; ignored when sent.</summary>
    public DateTimeOffset? Timestamp
    {
        get => GetDateTimeOffset(TimestampName);
        set => _properties[TimestampName] = value;
    }

    public string? GetString(string key) => Get(key) switch
    {
        null => null,
        string s => s,
        var other => throw WrongType(key, other, "String"),
    };

    public int? GetInt32(string key) => GetValue<int>(key);

    /// <summary>Reads an Int64. An Int32 value widens: the service returns unannotated numbers as Int32.</summary>
    public long? GetInt64(string key) => Get(key) is int i ? i : GetValue<long>(key);

    /// <summary>Reads a Double. An Int32 value widens.</summary>
    public double? GetDouble(string key) => Get(key) is int i ? i : GetValue<double>(key);

    public bool? GetBoolean(string key) => GetValue<bool>(key);

    public DateTimeOffset? GetDateTimeOffset(string key) =>
        Get(key) is DateTime dt ? new DateTimeOffset(TableEntitySerializer.ToUtc(dt)) : GetValue<DateTimeOffset>(key);

    public Guid? GetGuid(string key) => GetValue<Guid>(key);

    public byte[]? GetBinary(string key) => Get(key) switch
    {
        null => null,
        byte[] b => b,
        var other => throw WrongType(key, other, "Byte[]"),
    };

    private object? Get(string key) => _properties.GetValueOrDefault(key);

    private T? GetValue<T>(string key) where T : struct => Get(key) switch
    {
        null => null,
        T typed => typed,
        var other => throw WrongType(key, other, typeof(T).Name),
    };

    private static InvalidOperationException WrongType(string key, object value, string wanted) =>
        new($"Property '{key}' holds a {value.GetType().Name}, not a {wanted}.");

    public object? this[string key]
    {
        get => _properties[key];
        set => _properties[key] = value;
    }

    public ICollection<string> Keys => _properties.Keys;

    public ICollection<object?> Values => _properties.Values;

    public int Count => _properties.Count;

    bool ICollection<KeyValuePair<string, object?>>.IsReadOnly => false;

    public void Add(string key, object? value) => _properties.Add(key, value);

    public bool ContainsKey(string key) => _properties.ContainsKey(key);

    public bool Remove(string key) => _properties.Remove(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => _properties.TryGetValue(key, out value);

    public void Clear() => _properties.Clear();

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<string, object?>>.Add(KeyValuePair<string, object?> item) => _properties.Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, object?>>.Contains(KeyValuePair<string, object?> item) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).Contains(item);

    void ICollection<KeyValuePair<string, object?>>.CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).CopyTo(array, arrayIndex);

    bool ICollection<KeyValuePair<string, object?>>.Remove(KeyValuePair<string, object?> item) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).Remove(item);
}
