using Feedback.Functions.Answers;
namespace Feedback.Functions.Tokens;

/// <summary>
/// What a QR token asserts. Every property rejects values the token format cannot carry, so any
/// instance can be minted and round-trips unchanged. A token with a <see cref="DeviceId"/> was
/// minted by that till with its own key (format v2); one without, with the store's key (v1).
/// </summary>
public sealed record QrTokenClaims
{
    public QrTokenClaims(string keyId, string storeId, Touchpoint touchpoint, string? receiptId, DateTimeOffset expiresAt, string? deviceId = null)
    {
        KeyId = keyId;
        StoreId = storeId;
        Touchpoint = touchpoint;
        ReceiptId = receiptId;
        ExpiresAt = expiresAt;
        DeviceId = deviceId;
    }

    /// <summary>1–16 of [a-z0-9].</summary>
    public string KeyId
    {
        get;
        init => field = IsKeyId(value) ? value : throw new ArgumentException("Key id must be 1-16 of [a-z0-9].", nameof(value));
    }

    /// <summary>1–40 of [a-z0-9-].</summary>
    public string StoreId
    {
        get;
        init => field = Ids.IsStoreId(value) ? value : throw new ArgumentException("Store id must be 1-40 of [a-z0-9-].", nameof(value));
    }

    public Touchpoint Touchpoint
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown touchpoint.");
    }

    /// <summary>Null, or 1–64 of [A-Za-z0-9_-].</summary>
    public string? ReceiptId
    {
        get;
        init => field = value is null || Ids.IsReceiptId(value) ? value : throw new ArgumentException("Receipt id must be 1-64 of [A-Za-z0-9_-].", nameof(value));
    }

    /// <summary>Null, or the id of the device that minted the token ('d' and 16 lowercase hex digits).</summary>
    public string? DeviceId
    {
        get;
        init => field = value is null || Ids.IsDeviceId(value) ? value : throw new ArgumentException("Device id must be 'd' and 16 of [0-9a-f].", nameof(value));
    }

    /// <summary>Whole seconds, UTC: the token carries unix seconds, so anything finer would not round-trip.</summary>
    public DateTimeOffset ExpiresAt
    {
        get;
        init => field = value >= DateTimeOffset.UnixEpoch
            ? DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds())
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Expiry must not be before 1970.");
    }

    internal static bool IsKeyId(string? value) => HasLength(value, 16) && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));

    private static bool HasLength([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value, int max) =>
        value is not null && value.Length >= 1 && value.Length <= max;
}
