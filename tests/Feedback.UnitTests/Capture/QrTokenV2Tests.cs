using Feedback.Functions.Answers;
using Feedback.Functions.Tokens;

namespace Feedback.UnitTests.Capture;

/// <summary>Format v2: a token one till signs with its own key, carrying its device id; v1 tokens verify as before.</summary>
public class QrTokenV2Tests
{
    // The v2 test vector published in docs/qr-tokens.md (key 00 01 … 1f as the till's key); computed independently with Python's hmac.
    private static readonly byte[] TillKey = Convert.FromBase64String("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    private const string Till = "d0123456789abcdef";
    private const string VectorToken = "v2.k2026a.d0123456789abcdef.prague-01.store.R2026-000124.1798761600.54UW90EZRgpzeE7jO2bSsVkSggG0RDS1Ej8xGRAq8Ec";
    private const string StoreKeyToken = "v1.k2026a.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4";
    private static readonly DateTimeOffset Expiry = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BeforeExpiry = Expiry.AddDays(-1);

    /// <summary>Each signer has its own key: the till's for its tokens, the store's (any other bytes) for v1.</summary>
    private static readonly byte[] StoreKey = TillKey.Select(b => (byte)(b ^ 0x33)).ToArray();

    private static byte[]? Keys(string store, string kid, string? device) =>
        store != "prague-01" || kid != "k2026a" ? null
        : device is null || device == Till ? TillKey // the v1 vector's store key is 00 … 1f too
        : TillKey.Select(b => (byte)(b ^ device[^1])).ToArray();

    private static QrTokenClaims VectorClaims() => new("k2026a", "prague-01", Touchpoint.Store, "R2026-000124", Expiry, Till);

    [Fact]
    public void Create_WithADevice_ProducesTheDocumentedV2Token()
    {
        Assert.Equal(VectorToken, QrToken.Create(VectorClaims(), TillKey));
    }

    [Fact]
    public void TryVerify_V2Vector_ReturnsItsClaimsWithTheDevice_AfterAskingForThatDevicesKey()
    {
        (string, string, string?)? asked = null;

        var result = QrToken.TryVerify(VectorToken, (s, k, d) => { asked = (s, k, d); return Keys(s, k, d); }, BeforeExpiry, out var claims);

        Assert.Equal(QrTokenFailure.None, result);
        Assert.Equal(VectorClaims(), claims);
        Assert.Equal(("prague-01", "k2026a", Till), asked);
    }

    [Fact]
    public void TryVerify_V1Token_StillVerifies_WithTheStoreKeyAndNoDevice()
    {
        string? askedDevice = "unset";

        var result = QrToken.TryVerify(StoreKeyToken, (s, k, d) => { askedDevice = d; return Keys(s, k, d); }, BeforeExpiry, out var claims);

        Assert.Equal(QrTokenFailure.None, result);
        Assert.Null(askedDevice);
        Assert.Null(claims!.DeviceId);
        Assert.Equal("R2026-000123", claims.ReceiptId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("R-1")]
    public void Create_ThenTryVerify_RoundTripsEveryClaim(string? receipt)
    {
        var original = new QrTokenClaims("k9", "brno-hlavni-2", Touchpoint.Delivery, receipt, Expiry, "dffffffffffffffff");
        var key = TillKey.Reverse().ToArray();

        var token = QrToken.Create(original, key);

        Assert.StartsWith("v2.k9.dffffffffffffffff.brno-hlavni-2.delivery.", token, StringComparison.Ordinal);
        Assert.Equal(QrTokenFailure.None, QrToken.TryVerify(token, (_, _, d) => d == "dffffffffffffffff" ? key : null, BeforeExpiry, out var claims));
        Assert.Equal(original, claims);
    }

    [Fact]
    public void TryVerify_V2WithAnotherTillsIdPutIn_IsABadSignature()
    {
        // One till's key cannot vouch for another: the other till's id selects the other till's key.
        var forged = VectorToken.Replace(Till, "d0123456789abcde0", StringComparison.Ordinal);

        Assert.Equal(QrTokenFailure.BadSignature, QrToken.TryVerify(forged, Keys, BeforeExpiry, out var claims));
        Assert.Null(claims);
    }

    [Fact]
    public void TryVerify_V2WithTheDeviceDropped_AsAStoreKeyV1Token_IsABadSignature()
    {
        var fields = VectorToken.Split('.').ToList();
        fields.RemoveAt(2);
        fields[0] = "v1";
        var keys = new QrKeyLookup((s, k, d) => d is null ? StoreKey : TillKey);

        Assert.Equal(QrTokenFailure.BadSignature, QrToken.TryVerify(string.Join('.', fields), keys, BeforeExpiry, out _));
    }

    [Theory]
    [InlineData(3, "prague-02")]
    [InlineData(4, "web")]
    [InlineData(5, "R2026-000125")]
    [InlineData(6, "1830297600")] // a later expiry
    public void TryVerify_V2WithAFieldChanged_IsABadSignature(int field, string value)
    {
        var fields = VectorToken.Split('.');
        fields[field] = value;

        Assert.Equal(QrTokenFailure.BadSignature, QrToken.TryVerify(string.Join('.', fields), (_, _, _) => TillKey, BeforeExpiry, out _));
    }

    [Theory]
    [InlineData("v2.k2026a.prague-01.store.R2026-000124.1798761600.54UW90EZRgpzeE7jO2bSsVkSggG0RDS1Ej8xGRAq8Ec")] // no device field
    [InlineData("v2.k2026a.D0123456789ABCDEF.prague-01.store.R2026-000124.1798761600.54UW90EZRgpzeE7jO2bSsVkSggG0RDS1Ej8xGRAq8Ec")] // upper case
    [InlineData("v2.k2026a.d0123456789abcde.prague-01.store.R2026-000124.1798761600.54UW90EZRgpzeE7jO2bSsVkSggG0RDS1Ej8xGRAq8Ec")] // 15 digits
    [InlineData("v2.k2026a.x0123456789abcdef.prague-01.store.R2026-000124.1798761600.54UW90EZRgpzeE7jO2bSsVkSggG0RDS1Ej8xGRAq8Ec")] // not 'd'
    [InlineData("v1.k2026a.d0123456789abcdef.prague-01.store.R2026-000124.1798761600.54UW90EZRgpzeE7jO2bSsVkSggG0RDS1Ej8xGRAq8Ec")] // v1 with a device
    [InlineData("v3.k2026a.d0123456789abcdef.prague-01.store.R2026-000124.1798761600.54UW90EZRgpzeE7jO2bSsVkSggG0RDS1Ej8xGRAq8Ec")]
    public void TryVerify_MalformedV2_IsMalformed_WithoutAKeyLookup(string token)
    {
        var lookups = 0;

        Assert.Equal(QrTokenFailure.Malformed, QrToken.TryVerify(token, (_, _, _) => { lookups++; return TillKey; }, BeforeExpiry, out _));
        Assert.Equal(0, lookups);
    }

    [Fact]
    public void TryReadKeyId_V2_ReturnsStoreKidAndDevice()
    {
        Assert.True(QrToken.TryReadKeyId(VectorToken, out var store, out var kid, out var device));
        Assert.Equal(("prague-01", "k2026a", Till), (store, kid, device));
    }

    [Theory]
    [InlineData("D0123456789abcdef")]
    [InlineData("d0123")]
    [InlineData("")]
    public void Claims_WithAnInvalidDeviceId_Throw(string device)
    {
        Assert.Throws<ArgumentException>(() => VectorClaims() with { DeviceId = device });
    }
}
