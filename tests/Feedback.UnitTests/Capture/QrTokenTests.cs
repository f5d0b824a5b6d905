using Feedback.Functions.Answers;
using Feedback.Functions.Tokens;

namespace Feedback.UnitTests.Capture;

public class QrTokenTests
{
    // The test vector published in docs/qr-tokens.md; computed independently with openssl.
    private static readonly byte[] VectorKey = Convert.FromBase64String("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    private const string VectorToken = "v1.k2026a.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4";
    private const string VectorTokenWithoutReceipt = "v1.k2026a.prague-01.web..1798761600.AjXHinBnxIdpfaPyLBUw6pcMf1lOq5bzTIr8WV9ioeQ";
    private static readonly DateTimeOffset VectorExpiry = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BeforeExpiry = VectorExpiry.AddDays(-1);

    private static readonly QrKeyLookup VectorKeys = (store, kid, device) => store == "prague-01" && kid == "k2026a" && device is null ? VectorKey : null;

    private static QrTokenClaims VectorClaims(string? receiptId = "R2026-000123", Touchpoint touchpoint = Touchpoint.Store) =>
        new("k2026a", "prague-01", touchpoint, receiptId, VectorExpiry);

    [Fact]
    public void Create_WithTestVector_ProducesDocumentedToken()
    {
        Assert.Equal(VectorToken, QrToken.Create(VectorClaims(), VectorKey));
    }

    [Fact]
    public void Create_WithoutReceipt_ProducesDocumentedTokenWithEmptyReceiptField()
    {
        Assert.Equal(VectorTokenWithoutReceipt, QrToken.Create(VectorClaims(receiptId: null, touchpoint: Touchpoint.Web), VectorKey));
    }

    [Fact]
    public void TryVerify_WithTestVectorBeforeExpiry_ReturnsItsClaims()
    {
        var result = QrToken.TryVerify(VectorToken, VectorKeys, BeforeExpiry, out var claims);

        Assert.Equal(QrTokenFailure.None, result);
        Assert.Equal(VectorClaims(), claims);
    }

    [Fact]
    public void TryVerify_WithEmptyReceiptField_ReturnsNullReceiptId()
    {
        var result = QrToken.TryVerify(VectorTokenWithoutReceipt, VectorKeys, BeforeExpiry, out var claims);

        Assert.Equal(QrTokenFailure.None, result);
        Assert.NotNull(claims);
        Assert.Null(claims.ReceiptId);
        Assert.Equal(Touchpoint.Web, claims.Touchpoint);
    }

    [Theory]
    [InlineData(Touchpoint.Kiosk)]
    [InlineData(Touchpoint.CallCenter)]
    [InlineData(Touchpoint.Delivery)]
    public void TryVerify_WithTokenJustCreated_ReturnsEqualClaims(Touchpoint touchpoint)
    {
        var original = new QrTokenClaims("k9", "brno-hlavni-2", touchpoint, new string('Z', 64), VectorExpiry);

        var result = QrToken.TryVerify(QrToken.Create(original, VectorKey), (_, _, _) => VectorKey, BeforeExpiry, out var claims);

        Assert.Equal(QrTokenFailure.None, result);
        Assert.Equal(original, claims);
    }

    [Theory]
    [InlineData(1, "k2026b")]
    [InlineData(2, "prague-02")]
    [InlineData(3, "kiosk")]
    [InlineData(4, "R2026-000124")]
    [InlineData(4, "")]
    [InlineData(5, "1798761601")]
    public void TryVerify_WithTamperedField_ReturnsBadSignature(int field, string replacement)
    {
        var fields = VectorToken.Split('.');
        fields[field] = replacement;

        // The lookup answers for any store and kid, so only the signature can catch the change.
        var result = QrToken.TryVerify(string.Join('.', fields), (_, _, _) => VectorKey, BeforeExpiry, out var claims);

        Assert.Equal(QrTokenFailure.BadSignature, result);
        Assert.Null(claims);
    }

    [Theory]
    [InlineData(0, 'A')]
    [InlineData(21, 'x')]
    [InlineData(42, '5')] // decodes to the same 32 bytes as '4': only 2 of its 6 bits are unused padding
    public void TryVerify_WithTamperedSignatureCharacter_ReturnsBadSignature(int index, char replacement)
    {
        var signatureStart = VectorToken.LastIndexOf('.') + 1;
        var chars = VectorToken.ToCharArray();
        Assert.NotEqual(replacement, chars[signatureStart + index]);
        chars[signatureStart + index] = replacement;

        Assert.Equal(QrTokenFailure.BadSignature, QrToken.TryVerify(new string(chars), VectorKeys, BeforeExpiry, out _));
    }

    [Fact]
    public void TryVerify_WithWrongKey_ReturnsBadSignature()
    {
        var otherKey = VectorKey.Select(b => (byte)(b ^ 0x5a)).ToArray();

        Assert.Equal(QrTokenFailure.BadSignature, QrToken.TryVerify(VectorToken, (_, _, _) => otherKey, BeforeExpiry, out _));
    }

    [Fact]
    public void TryVerify_WithUnknownKeyId_ReturnsUnknownKeyAfterAskingForThatStoreAndKid()
    {
        (string Store, string Kid)? asked = null;

        var result = QrToken.TryVerify(VectorToken, (store, kid, _) => { asked = (store, kid); return null; }, BeforeExpiry, out var claims);

        Assert.Equal(QrTokenFailure.UnknownKey, result);
        Assert.Equal(("prague-01", "k2026a"), asked);
        Assert.Null(claims);
    }

    [Fact]
    public void TryVerify_WithEmptyKey_ReturnsUnknownKey()
    {
        Assert.Equal(QrTokenFailure.UnknownKey, QrToken.TryVerify(VectorToken, (_, _, _) => [], BeforeExpiry, out _));
    }

    [Fact]
    public void TryVerify_AtExpiry_ReturnsExpired()
    {
        var result = QrToken.TryVerify(VectorToken, VectorKeys, VectorExpiry, out var claims);

        Assert.Equal(QrTokenFailure.Expired, result);
        Assert.Null(claims);
    }

    [Fact]
    public void TryVerify_OneSecondBeforeExpiry_ReturnsNone()
    {
        Assert.Equal(QrTokenFailure.None, QrToken.TryVerify(VectorToken, VectorKeys, VectorExpiry.AddSeconds(-1), out _));
    }

    [Fact]
    public void TryVerify_WithExpiredTokenAndBadSignature_ReturnsBadSignature()
    {
        var forged = VectorToken.Replace(".store.", ".kiosk.", StringComparison.Ordinal);

        Assert.Equal(QrTokenFailure.BadSignature, QrToken.TryVerify(forged, VectorKeys, VectorExpiry.AddYears(1), out _));
    }

    public static TheoryData<string?> MalformedTokens() => new()
    {
        null,
        "",
        "v1",
        "v2.k2026a.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "V1.k2026a.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.store.R2026-000123.1798761600",
        "v1.k2026a.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4.x",
        "v1..prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.K2026A.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a01234567890.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.Prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague_01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a..store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.Store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.pos.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.store.R2026 000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.store." + new string('R', 65) + ".1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.store.R2026-000123.01798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.store.R2026-000123.+1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.store.R2026-000123.-1.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.store.R2026-000123..79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.store.R2026-000123.999999999999.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4",
        "v1.k2026a.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs",
        "v1.k2026a.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3-g0hs4=",
        "v1.k2026a.prague-01.store.R2026-000123.1798761600.79ODbPUfAREgIpwbpM3OlDYmQwxIjAB2oYyS3+g0hs4",
    };

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public void TryVerify_WithMalformedToken_ReturnsMalformedWithoutLookingUpAKey(string? token)
    {
        var lookups = 0;

        var result = QrToken.TryVerify(token, (_, _, _) => { lookups++; return VectorKey; }, BeforeExpiry, out var claims);

        Assert.Equal(QrTokenFailure.Malformed, result);
        Assert.Equal(0, lookups);
        Assert.Null(claims);
    }

    [Fact]
    public void TryVerify_WithInputOverMaxLength_ReturnsMalformed()
    {
        // Well formed except for its length: a receipt field this long is also caught by the
        // field rule, so pad the signature field, which the length check must refuse first.
        var token = VectorToken + new string('A', QrToken.MaxLength - VectorToken.Length + 1);
        Assert.Equal(QrToken.MaxLength + 1, token.Length);

        Assert.Equal(QrTokenFailure.Malformed, QrToken.TryVerify(token, VectorKeys, BeforeExpiry, out _));
    }

    [Fact]
    public void TryReadKeyId_WithWellFormedToken_ReturnsStoreAndKid()
    {
        Assert.True(QrToken.TryReadKeyId(VectorToken, out var storeId, out var keyId, out var deviceId));
        Assert.Equal("prague-01", storeId);
        Assert.Equal("k2026a", keyId);
        Assert.Null(deviceId);
    }

    [Fact]
    public void TryReadKeyId_WithMalformedToken_ReturnsFalse()
    {
        Assert.False(QrToken.TryReadKeyId(VectorToken.Replace("v1.", "v2.", StringComparison.Ordinal), out var storeId, out _, out _));
        Assert.Equal("", storeId);
    }

    [Fact]
    public void Create_WithKeyShorterThan32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => QrToken.Create(VectorClaims(), new byte[31]));
    }
}
