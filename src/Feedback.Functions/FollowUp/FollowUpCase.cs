using Azure;

namespace Feedback.Functions.FollowUp;

public sealed record CaseNote(DateTimeOffset At, string Status, string? Note);

/// <summary>
/// A follow-up case: one per answer that asked for one, due for first contact by <see cref="DueAt"/>.
/// Stored by <see cref="CaseStore"/> as a <see cref="CaseEntity"/>.
/// </summary>
public sealed record FollowUpCase(
    FollowUpRequested Answer,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    string Status,
    DateTimeOffset? FirstContactedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<CaseNote> Notes)
{
    public const string Open = "open";
    public const string Contacted = "contacted";
    public const string Resolved = "resolved";

    public ETag ETag { get; init; }

    public string StoreId => Answer.StoreId;

    public string FeedbackId => Answer.FeedbackId;

    /// <summary>The case id of the API: <c>{store id}.{feedback id}</c> (store ids never contain a dot).</summary>
    public string Id => CaseId(StoreId, FeedbackId);

    /// <summary>Overdue: nobody has contacted the customer and the deadline has passed.</summary>
    public bool IsOverdue(DateTimeOffset now) => Status == Open && now > DueAt;

    public static string CaseId(string storeId, string feedbackId) => storeId + "." + feedbackId;

    public static FollowUpCase OpenFor(FollowUpRequested m, DateTimeOffset now, TimeSpan deadline) =>
        new(m, now, now + deadline, Open, null, null, null, []);
}
