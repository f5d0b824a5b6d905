using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace Feedback.Storage.Tables;

/// <summary>
/// Entity JSON as the official SDK writes it: Int64 as a string, and Int64, Double, DateTime, Guid and
/// Binary annotated with <c>Name@odata.type</c>; Int32, Boolean and String unannotated.
/// </summary>
internal static class TableEntitySerializer
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString(TableEntity.PartitionKeyName, entity.PartitionKey);
        writer.WriteString(TableEntity.RowKeyName, entity.RowKey);
        foreach (var (name, value) in entity)
        {
            if (name is TableEntity.PartitionKeyName or TableEntity.RowKeyName or TableEntity.TimestampName || value is null)
            {
                continue;
            }

            WriteProperty(writer, name, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        string? type = null;
        switch (value)
        {
            case string s:
                writer.WriteString(name, s);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case long l:
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                type = "Edm.Int64";
                break;
            case double d:
                // JSON has no NaN or infinities; the service takes them as strings.
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }

                type = "Edm.Double";
                break;
            case DateTimeOffset dto:
                writer.WriteString(name, FormatDateTime(dto.UtcDateTime));
                type = "Edm.DateTime";
                break;
            case DateTime dt:
                writer.WriteString(name, FormatDateTime(ToUtc(dt)));
                type = "Edm.DateTime";
                break;
            case Guid g:
                writer.WriteString(name, g.ToString("D"));
                type = "Edm.Guid";
                break;
            case byte[] bytes:
                writer.WriteBase64String(name, bytes);
                type = "Edm.Binary";
                break;
            default:
                throw new ArgumentException($"Property '{name}' has unsupported type {value.GetType().Name}.", nameof(value));
        }

        if (type is not null)
        {
            writer.WriteString(name + TypeSuffix, type);
        }
    }

    /// <summary>UTC, ISO 8601 round-trip form with seven fractional digits.</summary>
    public static string FormatDateTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // An unspecified kind is taken as UTC, as the service does.
    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };

    /// <summary>Reads one entity of a minimalmetadata (or fullmetadata) response, using the type annotations.</summary>
    public static TableEntity Read(JsonElement json)
    {
        Dictionary<string, string?>? types = null;
        foreach (var property in json.EnumerateObject())
        {
            if (property.Name.EndsWith(TypeSuffix, StringComparison.Ordinal))
            {
                (types ??= new(StringComparer.Ordinal))[property.Name[..^TypeSuffix.Length]] = property.Value.GetString();
            }
        }

        var entity = new TableEntity();
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name == "odata.etag")
            {
                entity.ETag = property.Value.GetString() is { } etag ? new ETag(etag) : default;
            }
            else if (!name.StartsWith("odata.", StringComparison.Ordinal) && !name.EndsWith(TypeSuffix, StringComparison.Ordinal)
                     && property.Value.ValueKind != JsonValueKind.Null)
            {
                entity[name] = name == TableEntity.TimestampName
                    ? ParseDateTime(property.Value.GetString()!)
                    : ReadValue(property.Value, types?.GetValueOrDefault(name));
            }
        }

        return entity;
    }

    private static object ReadValue(JsonElement value, string? type) => type switch
    {
        "Edm.Int64" => value.ValueKind == JsonValueKind.String
            ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : value.GetInt64(),
        "Edm.Double" => ReadDouble(value),
        "Edm.DateTime" => ParseDateTime(value.GetString()!),
        "Edm.Guid" => Guid.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        "Edm.Binary" => value.GetBytesFromBase64(),
        "Edm.Int32" => value.GetInt32(),
        "Edm.Boolean" => value.GetBoolean(),
        "Edm.String" => value.GetString()!,
        null => ReadUnannotated(value),
        _ => throw new FormatException($"Unsupported property type '{type}'."),
    };

    private static object ReadUnannotated(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString()!;
            case JsonValueKind.True:
            case JsonValueKind.False:
                return value.GetBoolean();
            case JsonValueKind.Number:
                // The service writes a whole double with a decimal point (5.0) and an Int32 without one.
                var raw = value.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && value.TryGetInt32(out var i))
                {
                    return i;
                }

                return value.GetDouble();
            default:
                throw new FormatException($"Unexpected JSON {value.ValueKind} in an entity.");
        }
    }

    private static double ReadDouble(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        return value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }

    private static DateTimeOffset ParseDateTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
