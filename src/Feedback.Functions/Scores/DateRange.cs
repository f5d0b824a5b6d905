namespace Feedback.Functions.Scores;

/// <summary>Local dates from <see cref="First"/> to <see cref="Last"/>, both included.</summary>
public readonly record struct DateRange(DateOnly First, DateOnly Last)
{
    public int Days => Last.DayNumber - First.DayNumber + 1;
}
