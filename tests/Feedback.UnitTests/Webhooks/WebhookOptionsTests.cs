using Feedback.Functions.Webhooks;

namespace Feedback.UnitTests.Webhooks;

public sealed class WebhookOptionsTests
{
    [Fact]
    public void DefaultSchedule_IsNineAttemptsOverAboutEighteenHours()
    {
        var options = new WebhookOptions();

        Assert.Equal(9, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryDelays[0]);
        Assert.InRange(options.RetryDelays.Aggregate(TimeSpan.Zero, (a, b) => a + b), TimeSpan.FromHours(17), TimeSpan.FromHours(18));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("00:00:00", 1)]
    [InlineData("00:00:01, 00:00:05 ,00:01:00", 3)]
    public void TryParseSchedule_ReadsCommaSeparatedTimeSpans(string schedule, int count)
    {
        Assert.True(WebhookOptions.TryParseSchedule(schedule, out var delays));
        Assert.Equal(count, delays.Count);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-00:00:01")]
    [InlineData("8.00:00:00")]
    public void TryParseSchedule_RefusesNegativeTooLongOrUnreadableDelays(string schedule) =>
        Assert.False(WebhookOptions.TryParseSchedule(schedule, out _));

    [Fact]
    public void DeliveryIds_AreStablePerEventAndSubscription_AndDifferOtherwise()
    {
        var id = WebhookDelivery.IdFor("prague-01", WebhookEvents.CaseOpened, "prague-01.abcdefgh");

        Assert.True(WebhookDelivery.IsId(id));
        Assert.Equal(id, WebhookDelivery.IdFor("prague-01", WebhookEvents.CaseOpened, "prague-01.abcdefgh"));
        Assert.NotEqual(id, WebhookDelivery.IdFor(WebhookEvents.ChainWide, WebhookEvents.CaseOpened, "prague-01.abcdefgh"));
        Assert.NotEqual(id, WebhookDelivery.IdFor("prague-01", WebhookEvents.CaseOpened, "prague-01.abcdefgi"));
    }
}
