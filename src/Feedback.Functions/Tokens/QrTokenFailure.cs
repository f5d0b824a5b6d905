namespace Feedback.Functions.Tokens;

/// <summary>Why a QR token was refused; <see cref="None"/> means it is valid.</summary>
public enum QrTokenFailure
{
    None,
    Malformed,
    UnknownKey,
    BadSignature,
    Expired,
}
