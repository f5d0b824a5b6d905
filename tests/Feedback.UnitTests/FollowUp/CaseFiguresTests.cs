using Feedback.Functions.Answers;
using Feedback.Functions.FollowUp;

namespace Feedback.UnitTests.FollowUp;

public sealed class CaseFiguresTests
{
    private static readonly DateTimeOffset Opened = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Deadline = TimeSpan.FromHours(48);

    private static FollowUpCase Case(int score, TimeSpan? contactedAfter = null, bool resolved = false, bool callback = false) => new(
        new FollowUpRequested("prague-01", Guid.NewGuid().ToString("N"), new NpsScore(score), callback, null, [], null, Touchpoint.Store, "cs", Opened), Opened, Opened + Deadline,
        resolved ? FollowUpCase.Resolved : contactedAfter is null ? FollowUpCase.Open : FollowUpCase.Contacted,
        contactedAfter is { } after ? Opened + after : null, null, null, []);

    [Fact]
    public void Figures_CountDecidedDetractorCasesOnly_AndTakeTheMedianOfFirstContacts()
    {
        var cases = new[]
        {
            Case(2, TimeSpan.FromHours(1)),
            Case(5, TimeSpan.FromHours(3)),
            Case(6, TimeSpan.FromHours(50)),     // contacted, but after the deadline
            Case(0),                             // never contacted; past the deadline at `now`
            Case(10, TimeSpan.FromMinutes(5), callback: true), // a call-back, not a detractor case
        };
        var now = Opened + TimeSpan.FromHours(60);

        var f = CaseFigures.Compute(cases, now);

        Assert.Equal((5, 4, 1), (f.Cases, f.DetractorCases, f.CallbackCases));
        Assert.Equal((3, 2, 4, 0), (f.Contacted, f.ContactedWithinDeadline, f.Decided, f.Pending));
        Assert.Equal(0.5, f.ShareContactedWithinDeadline);
        Assert.Equal(TimeSpan.FromHours(3), f.MedianTimeToFirstContact);
        Assert.Equal(1, f.Overdue);
    }

    [Fact]
    public void Figures_LeaveCasesInsideTheirDeadlineOutOfTheShare()
    {
        var cases = new[] { Case(3, TimeSpan.FromHours(2)), Case(4) };

        var f = CaseFigures.Compute(cases, Opened + TimeSpan.FromHours(5));

        Assert.Equal((1, 1), (f.Decided, f.Pending));
        Assert.Equal(1.0, f.ShareContactedWithinDeadline);
        Assert.Equal(0, f.Overdue);
    }

    [Fact]
    public void Figures_WithNothingDecided_HaveNoShareAndNoMedian()
    {
        var f = CaseFigures.Compute([Case(3)], Opened);

        Assert.Null(f.ShareContactedWithinDeadline);
        Assert.Null(f.MedianTimeToFirstContact);
    }

    [Fact]
    public void Median_OfAnEvenCount_IsTheMeanOfTheMiddleTwo() =>
        Assert.Equal(TimeSpan.FromMinutes(90), CaseFigures.Median([TimeSpan.FromHours(3), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromMinutes(10)]));
}
