using Feedback.Functions.Answers;

namespace Feedback.UnitTests.Capture;

public class TouchpointsTests
{
    [Theory]
    [InlineData(Touchpoint.Store, "store")]
    [InlineData(Touchpoint.Kiosk, "kiosk")]
    [InlineData(Touchpoint.Web, "web")]
    [InlineData(Touchpoint.App, "app")]
    [InlineData(Touchpoint.CallCenter, "callcenter")]
    [InlineData(Touchpoint.Chatbot, "chatbot")]
    [InlineData(Touchpoint.Delivery, "delivery")]
    public void ToWireAndTryParse_RoundTripEveryTouchpoint(Touchpoint touchpoint, string wire)
    {
        Assert.Equal(wire, touchpoint.ToWire());
        Assert.True(Touchpoints.TryParse(wire, out var parsed));
        Assert.Equal(touchpoint, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Store")]
    [InlineData("1")]
    [InlineData("call-center")]
    public void TryParse_WithNonCanonicalName_ReturnsFalse(string? wire)
    {
        Assert.False(Touchpoints.TryParse(wire, out _));
    }
}
