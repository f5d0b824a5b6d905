namespace Feedback.Functions.Capture;

public sealed record Contact(string? Email, string? Phone);

/// <summary>Queue message on feedback-submitted: one validated, authenticated answer.</summary>
public sealed record FeedbackSubmitted(
    string Id,
    string StoreId,
    string Touchpoint,
    string Source,
    string? DeviceId,
    string? DeviceKind,
    string? ReceiptId,
    int Score,
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
    string? TraceParent = null)
{
    public const string FromToken = "token";
    public const string FromDevice = "device";
}
