namespace Feedback.Functions.Tokens;

/// <summary>Why a QR token was refused; <see cref="None"/> means it is valid.</summary>
public enum QrTokenFailure
{
    None,
    Malformed,
    UnknownKey,
    BadSignature,

    /// <summary>Signed by a device that is revoked, unknown or not the token store's till (checked by the caller, which reads devices).</summary>
    RevokedDevice,
    Expired,
}
