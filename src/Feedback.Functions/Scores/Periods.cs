using System.Globalization;

namespace Feedback.Functions.Scores;

/// <summary>
/// Period keys in a store's local calendar. A day belongs to the store's local date, so a late
/// answer in Prague counts for that evening, not for the UTC date.
/// </summary>
public static class Periods
{
    private const int TrailingDays = 28;

    public static string KeyFor(PeriodKind kind, DateOnly date) => kind switch
    {
        PeriodKind.Day or PeriodKind.Trailing28 => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PeriodKind.Week => WeekKey(date),
        PeriodKind.Month => date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown period kind."),
    };

    /// <summary>
    /// Keys of every period of <paramref name="kind"/> that contains a date from
    /// <paramref name="from"/> to <paramref name="to"/>, oldest first; empty when from is after to.
    /// For trailing28 that is one key per day, each the window ending on that day.
    /// </summary>
    public static IReadOnlyList<string> KeysBetween(PeriodKind kind, DateOnly from, DateOnly to)
    {
        var keys = new List<string>();
        for (var date = from; date <= to;)
        {
            var key = KeyFor(kind, date);
            keys.Add(key);
            var last = kind == PeriodKind.Trailing28 ? date : RangeOf(kind, key).Last;
            if (last >= to)
            {
                break;
            }

            date = last.AddDays(1);
        }

        return keys;
    }

    /// <exception cref="FormatException">The key is not a key of this kind.</exception>
    public static DateRange RangeOf(PeriodKind kind, string key) =>
        TryRangeOf(kind, key, out var range) ? range : throw new FormatException($"'{key}' is not a {kind} period key.");

    /// <summary>Parses a key strictly (the exact form <see cref="KeyFor"/> produces), for keys from outside.</summary>
    public static bool TryRangeOf(PeriodKind kind, string? key, out DateRange range)
    {
        range = default;
        if (key is null)
        {
            return false;
        }

        switch (kind)
        {
            case PeriodKind.Day when TryParseDay(key, out var day):
                range = new DateRange(day, day);
                return true;
            case PeriodKind.Trailing28 when TryParseDay(key, out var end) && end.DayNumber >= TrailingDays:
                range = new DateRange(end.AddDays(1 - TrailingDays), end);
                return true;
            case PeriodKind.Week when TryParseWeek(key, out var monday):
                range = new DateRange(monday, monday.AddDays(6));
                return true;
            case PeriodKind.Month when DateOnly.TryParseExact(key + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first):
                range = new DateRange(first, first.AddMonths(1).AddDays(-1));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The period just before, of the same kind: the day before, the previous ISO week, the
    /// previous month, or the 28 days before the window (adjacent, not overlapping).
    /// </summary>
    public static string Previous(PeriodKind kind, string key)
    {
        var range = RangeOf(kind, key);
        return KeyFor(kind, kind == PeriodKind.Trailing28 ? range.Last.AddDays(-TrailingDays) : range.First.AddDays(-1));
    }

    /// <exception cref="TimeZoneNotFoundException">Unknown time zone id.</exception>
    private static string WeekKey(DateOnly date)
    {
        var dateTime = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(dateTime):D4}-W{ISOWeek.GetWeekOfYear(dateTime):D2}");
    }

    private static bool TryParseDay(string key, out DateOnly day) =>
        DateOnly.TryParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static bool TryParseWeek(string key, out DateOnly monday)
    {
        monday = default;
        if (key.Length != 8 || key[4] != '-' || key[5] != 'W'
            || !int.TryParse(key.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(key.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || year is < 1 or > 9998 || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
        return true;
    }
}
