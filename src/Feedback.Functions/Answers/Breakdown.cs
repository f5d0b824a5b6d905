using System.Collections.Immutable;
using System.Text.Json;

namespace Feedback.Functions.Answers;

/// <summary>
/// Named counts beside the fixed ones of <see cref="ScoreCounts"/>: an answer's segment options, reasons and journey
/// step (names from <see cref="BreakdownNames"/>). Kept as one JSON column, because their number depends on the
/// segment questions and a table row has at most 252 columns. Compared by value, like the counts it sits in.
/// </summary>
public readonly struct Breakdown : IEquatable<Breakdown>
{
    private readonly ImmutableSortedDictionary<string, long>? _counts;

    private Breakdown(ImmutableSortedDictionary<string, long> counts) => _counts = counts.IsEmpty ? null : counts;

    public static Breakdown Empty => default;

    public bool IsEmpty => _counts is null;

    public IEnumerable<KeyValuePair<string, long>> Counts => _counts ?? ImmutableSortedDictionary<string, long>.Empty;

    public long this[string name] => _counts?.GetValueOrDefault(name) ?? 0;

    /// <summary>One of each name (names listed twice count once: an answer holds a reason or not).</summary>
    public static Breakdown Of(IEnumerable<string> names) =>
        new(names.Distinct(StringComparer.Ordinal).ToImmutableSortedDictionary(n => n, _ => 1L, StringComparer.Ordinal));

    public static Breakdown operator +(Breakdown a, Breakdown b) => Combine(a, b, +1);

    public static Breakdown operator -(Breakdown a, Breakdown b) => Combine(a, b, -1);

    public static bool operator ==(Breakdown a, Breakdown b) => a.Equals(b);

    public static bool operator !=(Breakdown a, Breakdown b) => !a.Equals(b);

    public string? ToJson() => _counts is null ? null : JsonSerializer.Serialize(_counts);

    /// <summary>Reads <see cref="ToJson"/>; null or empty is no counts.</summary>
    public static Breakdown FromJson(string? json) => string.IsNullOrEmpty(json)
        ? default
        : new(JsonSerializer.Deserialize<Dictionary<string, long>>(json)!.ToImmutableSortedDictionary(StringComparer.Ordinal));

    public bool Equals(Breakdown other) => Counts.SequenceEqual(other.Counts);

    public override bool Equals(object? obj) => obj is Breakdown other && Equals(other);

    public override int GetHashCode() => Counts.Aggregate(0, (hash, c) => HashCode.Combine(hash, c.Key, c.Value));

    private static Breakdown Combine(Breakdown a, Breakdown b, int sign)
    {
        if (b.IsEmpty)
        {
            return a;
        }

        var sum = (a._counts ?? ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal)).ToBuilder();
        foreach (var (name, count) in b.Counts)
        {
            var value = sum.GetValueOrDefault(name) + (sign * count);
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(b), value, $"Count '{name}' cannot be negative.");
            }

            if (value == 0)
            {
                sum.Remove(name);
            }
            else
            {
                sum[name] = value;
            }
        }

        return new(sum.ToImmutable());
    }
}
