namespace Feedback.Functions.FollowUp;

/// <summary>The burst condition: at least <c>minAnswers</c> answers, at least <c>share</c> of them detractors.</summary>
public static class BurstRule
{
    // Shares such as 0.3 are not exact in binary; a tolerance keeps 3 of 10 at "at least 30 %".
    private const double Tolerance = 1e-9;

    public static bool IsBurst(long answers, long detractors, int minAnswers, double share) =>
        answers > 0 && answers >= minAnswers && (double)detractors / answers + Tolerance >= share;
}
