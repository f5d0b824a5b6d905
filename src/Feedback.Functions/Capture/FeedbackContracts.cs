namespace Feedback.Functions.Capture;

public sealed record ContactRequest(string? Email, string? Phone, bool? Consent);

/// <summary>The body of POST /api/feedback (and each item of a batch).</summary>
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
    ContactRequest? Contact);

public sealed record FeedbackAccepted(string Id, string Status, string StatusUrl);

public sealed record BatchRequest(System.Text.Json.JsonElement[]? Items);

public sealed record BatchItemResult(string? Id, string Status, string? StatusUrl, IDictionary<string, string[]>? Errors);

public sealed record BatchResult(IReadOnlyList<BatchItemResult> Results);

public sealed record RewardView(string Code, string Title, DateTimeOffset ExpiresAt);

public sealed record FeedbackStatusView(string Id, string Status, RewardView? Reward);
