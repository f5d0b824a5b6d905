using System.Text.Json.Serialization;

namespace Feedback.Functions.Answers;

/// <summary>A queue message about one store (every message of the answer pipeline).</summary>
public interface IStoreMessage
{
    string StoreId { get; }
}

public sealed record Contact(string? Email, string? Phone);

/// <summary>How an answer was authenticated: a signed QR token, or an enrolled device's key.</summary>
[JsonConverter(typeof(LowercaseEnum<AnswerSource>))]
public enum AnswerSource
{
    Token,
    Device,
}

/// <summary>The kind of an enrolled device.</summary>
[JsonConverter(typeof(LowercaseEnum<DeviceKind>))]
public enum DeviceKind
{
    Kiosk,
    Pos,
}

/// <summary>
/// Queue message on feedback-submitted: one validated, authenticated answer. Every later hop
/// (processing, follow-up, reward) reads its facts from here, never from storage keys. <see cref="Day"/> is the
/// store-local day it counts on, fixed when it was accepted, so every delivery stores it in the same place.
/// </summary>
public sealed record FeedbackSubmitted(
    string Id,
    string StoreId,
    Touchpoint Touchpoint,
    AnswerSource Source,
    string? DeviceId,
    DeviceKind? DeviceKind,
    string? ReceiptId,
    NpsScore Score,
    int? Csat,
    int? Ces,
    IReadOnlyList<string> Reasons,
    string? Comment,
    string? Language,
    DateTimeOffset SubmittedAt,
    DateTimeOffset ReceivedAt,
    string? JourneyId,
    string? StaffId,
    Contact? Contact,
    string? TraceParent = null,
    IReadOnlyDictionary<string, string>? Segments = null,
    DateOnly? Day = null) : IStoreMessage;
