using System.Globalization;

namespace Feedback.Functions.Answers;

/// <summary>
/// A store's local calendar day: the unit answers are counted, capped and rolled up by. A late
/// answer in Prague counts for that evening, not for the UTC date. Its <see cref="Key"/> is the
/// partition of the store-day's rows in the feedback and rewards tables.
/// </summary>
public readonly record struct StoreDay(string StoreId, DateOnly Day)
{
    public static StoreDay Of(string storeId, DateTimeOffset instant, TimeZoneInfo zone) => new(storeId, LocalDate(instant, zone));

    public static DateOnly LocalDate(DateTimeOffset instant, string timeZoneId) =>
        LocalDate(instant, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId));

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The instant this day starts in <paramref name="zone"/>; a midnight skipped by a clock change starts an hour later.</summary>
    public DateTimeOffset StartsAt(TimeZoneInfo zone)
    {
        var midnight = Day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(midnight, zone), TimeSpan.Zero);
    }

    /// <summary><c>{store}.{yyyy-MM-dd}</c>.</summary>
    public string Key => $"{StoreId}.{Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>What the API says about a local date it accepts.</summary>
    public const string DateRule = "A date as YYYY-MM-DD between 2000 and 2100.";

    /// <summary>
    /// A local date from a request: yyyy-MM-dd within 2000–2100, so the instants around it (a day later, in any
    /// zone) stay within what dates can hold.
    /// </summary>
    public static bool TryParseDate(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date.Year is >= 2000 and <= 2100;

    public static StoreDay Parse(string key) => new(
        key[..key.LastIndexOf('.')],
        DateOnly.ParseExact(key[(key.LastIndexOf('.') + 1)..], "yyyy-MM-dd", CultureInfo.InvariantCulture));

    public override string ToString() => Key;
}
