using Feedback.Functions.Stores;
using Feedback.Functions.Answers;

namespace Feedback.UnitTests.Rewards;

public class KioskRewardWindowTests
{
    private static readonly DateTimeOffset Received = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly RewardCampaign Campaign = new(new Dictionary<string, string> { ["en"] = "Tea" }, 30, 200, ["kiosk", "receipt"]);

    private static FeedbackSubmitted Answer(DeviceKind kind, TimeSpan age, AnswerSource source = AnswerSource.Device, string? receipt = null) =>
        new("f1", "s1", Touchpoint.Kiosk, source, "d1", kind, receipt, new NpsScore(9), null, null, [], null, "en", Received - age, Received, null, null, null);

    [Theory]
    [InlineData(0, true)]
    [InlineData(119, true)]
    [InlineData(120, true)]
    [InlineData(121, false)]
    [InlineData(3600, false)]
    [InlineData(-30, true)] // a tablet clock a little ahead of the server's
    public void KioskAnswer_EarnsTheKioskBasis_OnlyWhenItArrivesWithinTwoMinutesOfBeingGiven(int secondsOld, bool eligible)
    {
        Assert.Equal(eligible ? RewardBasis.Kiosk : null, Campaign.BasisFor(Answer(DeviceKind.Kiosk, TimeSpan.FromSeconds(secondsOld))));
    }

    [Fact]
    public void TheWindow_AppliesToKiosksOnly_NotToReceiptsAnsweredLater()
    {
        var lateReceipt = Answer(DeviceKind.Kiosk, TimeSpan.FromDays(1), AnswerSource.Token, receipt: "R-1") with { DeviceId = null, DeviceKind = null };

        Assert.Equal(RewardBasis.Receipt, Campaign.BasisFor(lateReceipt));
        Assert.Null(Campaign.BasisFor(Answer(DeviceKind.Pos, TimeSpan.Zero)));
    }
}
