namespace Feedback.Functions.Scores;

public enum PeriodKind
{
    /// <summary>One local day, key <c>2026-11-22</c>.</summary>
    Day,

    /// <summary>An ISO 8601 week, Monday to Sunday, key <c>2026-W47</c> (the ISO week-year, not the calendar year).</summary>
    Week,

    /// <summary>A calendar month, key <c>2026-11</c>.</summary>
    Month,

    /// <summary>The 28 days ending on a day, keyed by that end day: <c>2026-11-22</c>.</summary>
    Trailing28,
}
