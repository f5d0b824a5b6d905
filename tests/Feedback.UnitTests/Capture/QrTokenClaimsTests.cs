using Feedback.Functions.Answers;
using Feedback.Functions.Tokens;

namespace Feedback.UnitTests.Capture;

public class QrTokenClaimsTests
{
    private static readonly DateTimeOffset Expiry = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("")]
    [InlineData("K1")]
    [InlineData("k-1")]
    [InlineData("k1234567890123456")]
    public void New_WithInvalidKeyId_Throws(string keyId)
    {
        Assert.Throws<ArgumentException>(() => new QrTokenClaims(keyId, "prague-01", Touchpoint.Store, null, Expiry));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Prague")]
    [InlineData("prague_01")]
    [InlineData("prague.01")]
    [InlineData("s23456789012345678901234567890123456789012")]
    public void New_WithInvalidStoreId_Throws(string storeId)
    {
        Assert.Throws<ArgumentException>(() => new QrTokenClaims("k1", storeId, Touchpoint.Store, null, Expiry));
    }

    [Theory]
    [InlineData("")]
    [InlineData("R.1")]
    [InlineData("R 1")]
    [InlineData("R/1")]
    public void New_WithInvalidReceiptId_Throws(string receiptId)
    {
        Assert.Throws<ArgumentException>(() => new QrTokenClaims("k1", "prague-01", Touchpoint.Store, receiptId, Expiry));
    }

    [Fact]
    public void New_WithUndefinedTouchpoint_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new QrTokenClaims("k1", "prague-01", (Touchpoint)42, null, Expiry));
    }

    [Fact]
    public void New_WithLongestValidFields_KeepsThem()
    {
        var claims = new QrTokenClaims(new string('k', 16), new string('s', 40), Touchpoint.App, new string('_', 64), Expiry);

        Assert.Equal(16, claims.KeyId.Length);
        Assert.Equal(40, claims.StoreId.Length);
        Assert.Equal(64, claims.ReceiptId?.Length);
    }

    [Fact]
    public void New_WithSubSecondOffsetExpiry_StoresWholeSecondsUtc()
    {
        var local = new DateTimeOffset(2027, 1, 1, 1, 0, 0, 999, TimeSpan.FromHours(1));

        var claims = new QrTokenClaims("k1", "prague-01", Touchpoint.Store, null, local);

        Assert.Equal(Expiry, claims.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, claims.ExpiresAt.Offset);
    }

    [Fact]
    public void With_InvalidStoreId_Throws()
    {
        var claims = new QrTokenClaims("k1", "prague-01", Touchpoint.Store, null, Expiry);

        Assert.Throws<ArgumentException>(() => claims with { StoreId = "Bad Store" });
    }
}
