using Feedback.Functions.Answers;

namespace Feedback.Functions.Capture;

public sealed record ContactRequest(string? Email, string? Phone, bool? Consent);

/// <summary>The body of POST /api/feedback (and each item of a batch).</summary>
/// <param name="Day">
/// Survey pages only: the store's day (yyyy-MM-dd) the page was opened on, sent with the answer's id on every try, so
/// a retry after the store's midnight counts on the same day. One of the store's last 7 days is taken as it is (400
/// otherwise); without it an answer sent with its own id costs the request path a storage write to pin its day.
/// </param>
public sealed record FeedbackRequest(
    string? Id,
    string? Token,
    int? Score,
    int? Csat,
    int? Ces,
    string[]? Reasons,
    string? Comment,
    string? Language,
    string? Touchpoint,
    DateTimeOffset? SubmittedAt,
    string? JourneyId,
    string? StaffId,
    ContactRequest? Contact,
    Dictionary<string, string?>? Segments = null,
    string? Day = null)
{
    /// <summary>
    /// The queue message of a validated answer (<see cref="FeedbackValidation"/>), with what the
    /// request path established: its id, store, channel and source. Contact details only with consent.
    /// </summary>
    public FeedbackSubmitted ToMessage(
        string id, string storeId, Answers.Touchpoint touchpoint, AnswerSource source, string? deviceId, DeviceKind? deviceKind, string? receiptId,
        DateTimeOffset submittedAt, DateTimeOffset receivedAt) =>
        new(id, storeId, touchpoint, source, deviceId, deviceKind, receiptId,
            new NpsScore(Score!.Value), Csat, Ces, Reasons ?? [], Comment, Language?.ToLowerInvariant(),
            submittedAt, receivedAt, JourneyId, StaffId,
            Contact is { Consent: true } c && (c.Email ?? c.Phone) is not null ? new Contact(c.Email, c.Phone) : null,
            Segments: Segments is { Count: > 0 } segments ? segments.ToDictionary(s => s.Key, s => s.Value!) : null);
}

public sealed record FeedbackAccepted(string Id, string Status, string StatusUrl);

public sealed record BatchRequest(System.Text.Json.JsonElement[]? Items);

public sealed record BatchItemResult(string? Id, string Status, string? StatusUrl, IDictionary<string, string[]>? Errors);

public sealed record BatchResult(IReadOnlyList<BatchItemResult> Results);

public sealed record RewardView(string Code, string Title, DateTimeOffset ExpiresAt);

public sealed record FeedbackStatusView(string Id, string Status, RewardView? Reward);
