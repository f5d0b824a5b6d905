using System.Text.Json.Serialization;

namespace Feedback.Functions.Answers;

/// <summary>
/// Enums on the wire (messages, tokens, URLs, table columns) by their lowercase names, and only
/// those: Enum.TryParse would also accept "Store", "1" or "store, web", and a signed token must
/// have exactly one spelling.
/// </summary>
public static class WireEnum
{
    public static string ToWire<T>(this T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static bool TryParse<T>(string? value, out T result)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (candidate.ToWire() == value)
            {
                result = candidate;
                return true;
            }
        }

        result = default;
        return false;
    }
}

/// <summary>The JSON form of <see cref="WireEnum"/>: put on an enum type, it holds in every message and contract.</summary>
public sealed class LowercaseEnum<T>() : JsonStringEnumConverter<T>(Lowercase.Policy, allowIntegerValues: false)
    where T : struct, Enum
{
    private sealed class Lowercase : System.Text.Json.JsonNamingPolicy
    {
        public static readonly Lowercase Policy = new();

        public override string ConvertName(string name) => name.ToLowerInvariant();
    }
}
