using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Feedback.Functions.Answers;

namespace Feedback.Functions.Tokens;

/// <summary>
/// Signed, self-contained QR tokens: <c>v1.kid.store.touchpoint.receipt.exp.sig</c> (signed with the
/// store's key) or <c>v2.kid.device.store.touchpoint.receipt.exp.sig</c> (signed by one till with its
/// own key), where sig is the unpadded base64url HMAC-SHA256 of everything before the last dot. Every
/// field is already URL-safe, so the signed text is the token itself: nothing to re-encode or
/// canonicalize, and a shorter QR code than base64-wrapping it. The format is specified in docs/qr-tokens.md.
/// </summary>
public static class QrToken
{
    /// <summary>The longest the mint endpoint issues a token for.</summary>
    public const int MaxValidDays = 730;

    public const int MaxLength = 512;
    public const int MinKeyBytes = 32;

    private const string StoreKeyVersion = "v1";
    private const string DeviceKeyVersion = "v2";
    private const int SignatureChars = 43; // 32 bytes, base64url without padding
    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, DateTimeOffset's limit

    public static string Create(QrTokenClaims claims, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"A QR signing key must have at least {MinKeyBytes} bytes.", nameof(key));
        }

        string[] signer = claims.DeviceId is { } device ? [DeviceKeyVersion, claims.KeyId, device] : [StoreKeyVersion, claims.KeyId];
        var signed = string.Join('.', [
            .. signer,
            claims.StoreId,
            claims.Touchpoint.ToWire(),
            claims.ReceiptId ?? "",
            claims.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)]);
        return signed + "." + Sign(signed, key);
    }

    /// <summary>
    /// Reads the store, key id and device of a well-formed token without verifying it, so a caller
    /// can fetch the key asynchronously before calling <see cref="TryVerify"/>. Nothing else read
    /// from an unverified token may be trusted, so nothing else is exposed.
    /// </summary>
    public static bool TryReadKeyId(string? token, out string storeId, out string keyId, out string? deviceId)
    {
        var parsed = Parse(token);
        storeId = parsed?.Claims.StoreId ?? "";
        keyId = parsed?.Claims.KeyId ?? "";
        deviceId = parsed?.Claims.DeviceId;
        return parsed is not null;
    }

    /// <summary>
    /// Verifies a token. <paramref name="claims"/> is set only when the result is
    /// <see cref="QrTokenFailure.None"/>. The token is valid while <paramref name="now"/> is before
    /// its expiry. Expiry is checked after the signature so unsigned input learns nothing.
    /// </summary>
    public static QrTokenFailure TryVerify(string? token, QrKeyLookup keyFor, DateTimeOffset now, out QrTokenClaims? claims)
    {
        ArgumentNullException.ThrowIfNull(keyFor);
        claims = null;

        if (Parse(token) is not { } parsed)
        {
            return QrTokenFailure.Malformed;
        }

        var key = keyFor(parsed.Claims.StoreId, parsed.Claims.KeyId, parsed.Claims.DeviceId);
        if (key is null || key.Length == 0)
        {
            return QrTokenFailure.UnknownKey;
        }

        // Comparing the encoded text rather than decoded bytes also refuses the alternative
        // spellings base64 allows in the unused low bits of the last character.
        var expected = Encoding.ASCII.GetBytes(Sign(parsed.Signed, key));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parsed.Signature)))
        {
            return QrTokenFailure.BadSignature;
        }

        if (now >= parsed.Claims.ExpiresAt)
        {
            return QrTokenFailure.Expired;
        }

        claims = parsed.Claims;
        return QrTokenFailure.None;
    }

    private static string Sign(string signed, byte[] key) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)));

    private static ParsedToken? Parse(string? token)
    {
        if (token is null || token.Length > MaxLength)
        {
            return null;
        }

        // v2 has one field more than v1, the device, after the kid; from the store on they are the same.
        var fields = token.Split('.');
        var device = fields[0] == DeviceKeyVersion ? 1 : 0;
        if (fields.Length != 7 + device
            || fields[0] != (device == 1 ? DeviceKeyVersion : StoreKeyVersion)
            || !QrTokenClaims.IsKeyId(fields[1])
            || (device == 1 && !Ids.IsDeviceId(fields[2]))
            || !Ids.IsStoreId(fields[2 + device])
            || !Touchpoints.TryParse(fields[3 + device], out var touchpoint)
            || (fields[4 + device].Length > 0 && !Ids.IsReceiptId(fields[4 + device]))
            || !TryParseUnixSeconds(fields[5 + device], out var expires)
            || !IsSignatureText(fields[6 + device]))
        {
            return null;
        }

        var receipt = fields[4 + device];
        var claims = new QrTokenClaims(fields[1], fields[2 + device], touchpoint, receipt.Length > 0 ? receipt : null,
            DateTimeOffset.FromUnixTimeSeconds(expires), device == 1 ? fields[2] : null);
        return new ParsedToken(claims, token[..token.LastIndexOf('.')], fields[6 + device]);
    }

    // Plain decimal, no sign and no leading zeros, so each expiry has exactly one spelling.
    private static bool TryParseUnixSeconds(string text, out long seconds)
    {
        seconds = 0;
        return text.Length is >= 1 and <= 12
            && (text.Length == 1 || text[0] != '0')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
            && seconds <= MaxUnixSeconds;
    }

    private static bool IsSignatureText(string text) =>
        text.Length == SignatureChars && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private sealed record ParsedToken(QrTokenClaims Claims, string Signed, string Signature);
}
