using System.Globalization;

namespace Feedback.Storage.Tables;

/// <summary>Builds OData filters from interpolated strings, escaping every value as a literal of its type.</summary>
public static class TableFilter
{
    /// <summary>
    /// <c>TableFilter.Create($"PartitionKey eq {pk} and Score ge {7}")</c>. Each interpolated value becomes
    /// a literal, so a string value can never change the filter's meaning.
    /// </summary>
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var literals = filter.GetArguments().Select(Literal).ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    /// <summary>The OData literal for one value.</summary>
    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        char c => Literal(c.ToString()),
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => DoubleLiteral(d),
        DateTimeOffset dto => $"datetime'{TableEntitySerializer.FormatDateTime(dto.UtcDateTime)}'",
        DateTime dt => $"datetime'{TableEntitySerializer.FormatDateTime(TableEntitySerializer.ToUtc(dt))}'",
        Guid g => $"guid'{g:D}'",
        byte[] bytes => $"X'{Convert.ToHexStringLower(bytes)}'",
        _ => throw new ArgumentException(
            $"A filter value of type {value.GetType().Name} is not supported; use string, int, long, double, bool, DateTimeOffset, Guid or byte[].",
            nameof(value)),
    };

    // A whole double keeps its decimal point so the service compares it as a Double, not an Int32.
    private static string DoubleLiteral(double d)
    {
        if (!double.IsFinite(d))
        {
            throw new ArgumentException("A filter cannot compare with NaN or an infinity.", nameof(d));
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E') < 0 ? text + ".0" : text;
    }
}
