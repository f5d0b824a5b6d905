namespace Feedback.Functions.FollowUp;

/// <summary>
/// Closing-the-loop figures of one store and period, from its cases. The share contacted within the
/// deadline counts only decided cases (contacted, or past their deadline): a case still inside its
/// deadline can go either way, so it is reported as pending instead of lowering or raising the share.
/// </summary>
public sealed record CaseFigures(
    int Cases,
    int DetractorCases,
    int CallbackCases,
    int Contacted,
    int ContactedWithinDeadline,
    int Decided,
    int Pending,
    int Overdue,
    int Resolved,
    double? ShareContactedWithinDeadline,
    TimeSpan? MedianTimeToFirstContact)
{
    /// <summary>The contact figures are of detractor cases; Cases, CallbackCases, Overdue and Resolved count every case.</summary>
    public static CaseFigures Compute(IReadOnlyCollection<FollowUpCase> cases, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var detractor = cases.Where(c => c.Answer.Detractor).ToList();
        var contacted = detractor.Where(c => c.FirstContactedAt is not null).ToList();
        var withinDeadline = contacted.Count(c => c.FirstContactedAt <= c.DueAt);
        var decided = detractor.Count(c => c.FirstContactedAt is not null || now > c.DueAt);
        return new CaseFigures(
            cases.Count,
            detractor.Count,
            cases.Count(c => c.Answer.CallbackRequested),
            contacted.Count,
            withinDeadline,
            decided,
            detractor.Count - decided,
            cases.Count(c => c.IsOverdue(now)),
            cases.Count(c => c.Status == FollowUpCase.Resolved),
            decided == 0 ? null : (double)withinDeadline / decided,
            Median([.. contacted.Select(c => c.FirstContactedAt!.Value - c.CreatedAt)]));
    }

    public static TimeSpan? Median(IReadOnlyList<TimeSpan> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : TimeSpan.FromTicks((sorted[middle - 1].Ticks + sorted[middle].Ticks) / 2);
    }
}
