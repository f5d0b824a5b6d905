using Feedback.Functions.Answers;
using Feedback.Functions.Scores;

namespace Feedback.UnitTests.Scores;

public class PeriodsTests
{
    private static DateOnly Date(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(PeriodKind.Day, "2026-11-22")]
    [InlineData(PeriodKind.Week, "2026-W47")]
    [InlineData(PeriodKind.Month, "2026-11")]
    [InlineData(PeriodKind.Trailing28, "2026-11-22")]
    public void KeyFor_EachKind_UsesItsFormat(PeriodKind kind, string expected)
    {
        Assert.Equal(expected, Periods.KeyFor(kind, Date("2026-11-22")));
    }

    [Theory]
    [InlineData("2025-12-28", "2025-W52")]
    [InlineData("2025-12-29", "2026-W01")] // Monday of ISO week 1 of 2026, still calendar 2025
    [InlineData("2026-12-31", "2026-W53")]
    [InlineData("2027-01-01", "2026-W53")]
    [InlineData("2027-01-03", "2026-W53")]
    [InlineData("2027-01-04", "2027-W01")]
    public void KeyFor_Week_UsesIsoWeekYear(string date, string expected)
    {
        Assert.Equal(expected, Periods.KeyFor(PeriodKind.Week, Date(date)));
    }

    [Theory]
    [InlineData(PeriodKind.Day, "2026-11-22", "2026-11-22", "2026-11-22")]
    [InlineData(PeriodKind.Week, "2026-W47", "2026-11-16", "2026-11-22")]
    [InlineData(PeriodKind.Week, "2026-W53", "2026-12-28", "2027-01-03")]
    [InlineData(PeriodKind.Week, "2026-W01", "2025-12-29", "2026-01-04")]
    [InlineData(PeriodKind.Month, "2026-02", "2026-02-01", "2026-02-28")]
    [InlineData(PeriodKind.Month, "2028-02", "2028-02-01", "2028-02-29")]
    [InlineData(PeriodKind.Month, "2026-12", "2026-12-01", "2026-12-31")]
    [InlineData(PeriodKind.Trailing28, "2026-11-22", "2026-10-26", "2026-11-22")]
    [InlineData(PeriodKind.Trailing28, "2026-01-10", "2025-12-14", "2026-01-10")]
    public void RangeOf_ReturnsFirstAndLastLocalDate(PeriodKind kind, string key, string first, string last)
    {
        Assert.Equal(new DateRange(Date(first), Date(last)), Periods.RangeOf(kind, key));
    }

    [Fact]
    public void RangeOf_Trailing28_Spans28Days()
    {
        Assert.Equal(28, Periods.RangeOf(PeriodKind.Trailing28, "2026-03-01").Days);
    }

    [Theory]
    [InlineData(PeriodKind.Day, "2026-03-01", "2026-02-28")]
    [InlineData(PeriodKind.Week, "2027-W01", "2026-W53")]
    [InlineData(PeriodKind.Week, "2026-W01", "2025-W52")]
    [InlineData(PeriodKind.Month, "2026-01", "2025-12")]
    [InlineData(PeriodKind.Month, "2026-03", "2026-02")]
    [InlineData(PeriodKind.Trailing28, "2026-11-22", "2026-10-25")]
    public void Previous_ReturnsThePeriodJustBefore(PeriodKind kind, string key, string expected)
    {
        Assert.Equal(expected, Periods.Previous(kind, key));
    }

    [Fact]
    public void Previous_Trailing28_IsAdjacentAndDoesNotOverlap()
    {
        var current = Periods.RangeOf(PeriodKind.Trailing28, "2026-11-22");
        var previous = Periods.RangeOf(PeriodKind.Trailing28, Periods.Previous(PeriodKind.Trailing28, "2026-11-22"));

        Assert.Equal(current.First.AddDays(-1), previous.Last);
        Assert.Equal(28, previous.Days);
    }

    [Fact]
    public void KeysBetween_Weeks_ListsEveryOverlappingWeekAcrossWeek53()
    {
        Assert.Equal(["2026-W53", "2027-W01", "2027-W02"], Periods.KeysBetween(PeriodKind.Week, Date("2026-12-30"), Date("2027-01-12")));
    }

    [Fact]
    public void KeysBetween_Months_ListsEveryOverlappingMonthAcrossYearEnd()
    {
        Assert.Equal(["2026-11", "2026-12", "2027-01", "2027-02"], Periods.KeysBetween(PeriodKind.Month, Date("2026-11-30"), Date("2027-02-01")));
    }

    [Theory]
    [InlineData(PeriodKind.Day)]
    [InlineData(PeriodKind.Trailing28)]
    public void KeysBetween_DailyKinds_ListsEveryDay(PeriodKind kind)
    {
        Assert.Equal(["2026-02-27", "2026-02-28", "2026-03-01"], Periods.KeysBetween(kind, Date("2026-02-27"), Date("2026-03-01")));
    }

    [Fact]
    public void KeysBetween_WithSameDay_ListsItsPeriod()
    {
        Assert.Equal(["2026-W53"], Periods.KeysBetween(PeriodKind.Week, Date("2027-01-01"), Date("2027-01-01")));
    }

    [Fact]
    public void KeysBetween_WithFromAfterTo_IsEmpty()
    {
        Assert.Empty(Periods.KeysBetween(PeriodKind.Day, Date("2026-11-23"), Date("2026-11-22")));
    }

    [Theory]
    [InlineData(PeriodKind.Day, null)]
    [InlineData(PeriodKind.Day, "2026-11-31")]
    [InlineData(PeriodKind.Day, " 2026-11-22")]
    [InlineData(PeriodKind.Day, "2026-11")]
    [InlineData(PeriodKind.Week, "2026-W54")]
    [InlineData(PeriodKind.Week, "2025-W53")]
    [InlineData(PeriodKind.Week, "2026-W00")]
    [InlineData(PeriodKind.Week, "2026-W5")]
    [InlineData(PeriodKind.Week, "2026-w05")]
    [InlineData(PeriodKind.Week, "2026-11-22")]
    [InlineData(PeriodKind.Month, "2026-13")]
    [InlineData(PeriodKind.Month, "2026-1")]
    [InlineData(PeriodKind.Month, "2026-11-22")]
    [InlineData(PeriodKind.Trailing28, "2026-W47")]
    public void TryRangeOf_WithKeyNotOfThatKind_ReturnsFalse(PeriodKind kind, string? key)
    {
        Assert.False(Periods.TryRangeOf(kind, key, out _));
    }

    [Fact]
    public void RangeOf_WithMalformedKey_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => Periods.RangeOf(PeriodKind.Month, "2026-13"));
    }

    [Theory]
    [InlineData("2026-03-28T22:59:00Z", "2026-03-28")]
    [InlineData("2026-03-28T23:30:00Z", "2026-03-29")] // 00:30 CET, before the clocks go forward
    [InlineData("2026-03-29T00:30:00Z", "2026-03-29")] // 01:30 CET
    [InlineData("2026-03-29T21:59:00Z", "2026-03-29")] // 23:59 CEST, after the change
    [InlineData("2026-03-29T22:00:00Z", "2026-03-30")]
    [InlineData("2026-10-24T21:59:00Z", "2026-10-24")]
    [InlineData("2026-10-24T22:30:00Z", "2026-10-25")] // 00:30 CEST, the night the clocks go back
    [InlineData("2026-10-25T22:59:00Z", "2026-10-25")] // 23:59 CET
    [InlineData("2026-10-25T23:00:00Z", "2026-10-26")]
    public void LocalDate_InPrague_FollowsDaylightSavingTime(string instant, string expected)
    {
        var utc = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(Date(expected), StoreDay.LocalDate(utc, "Europe/Prague"));
    }

    [Fact]
    public void LocalDate_WithUnknownTimeZone_Throws()
    {
        Assert.Throws<TimeZoneNotFoundException>(() => StoreDay.LocalDate(DateTimeOffset.UnixEpoch, "Europe/Atlantis"));
    }
}
