using Feedback.Functions.Answers;
using Feedback.Functions.Configuration;
using Feedback.Functions.Stores;

namespace Feedback.Functions.FollowUp;

public sealed record CaseNoteView(DateTimeOffset At, string Status, string? Note);

public sealed record CaseView(
    string CaseId,
    string StoreId,
    string FeedbackId,
    int Score,
    bool Detractor,
    bool CallbackRequested,
    string? Comment,
    IReadOnlyList<string> Reasons,
    Contact? Contact,
    string Touchpoint,
    string? Language,
    DateTimeOffset SubmittedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    string Status,
    bool Overdue,
    DateTimeOffset? FirstContactedAt,
    DateTimeOffset? ResolvedAt,
    IReadOnlyList<CaseNoteView> Notes)
{
    public static CaseView From(FollowUpCase c, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c);
        var a = c.Answer;
        return new(c.Id, a.StoreId, Ids.ClientAnswerId(a.FeedbackId), a.Score.Value, a.Detractor, a.CallbackRequested, a.Comment, a.Reasons, a.Contact, a.Touchpoint.ToWire(),
            a.Language, a.SubmittedAt, c.CreatedAt, c.DueAt, c.Status, c.IsOverdue(now), c.FirstContactedAt, c.ResolvedAt,
            [.. c.Notes.Select(n => new CaseNoteView(n.At, n.Status, n.Note))]);
    }
}

public sealed record CasePage(IReadOnlyList<CaseView> Items, string? Continuation);

/// <summary>The body of PATCH /api/cases/{caseId}.</summary>
public sealed record CaseUpdateRequest(string? Status, string? Note);

/// <summary>Closing-the-loop figures of a store over whole local days <c>from</c>–<c>to</c> (cases by the day they were opened).</summary>
public sealed record CaseSummaryView(
    string StoreId,
    DateOnly From,
    DateOnly To,
    string TimeZone,
    int Cases,
    int DetractorCases,
    int CallbackCases,
    int Contacted,
    int ContactedWithinDeadline,
    int Decided,
    int Pending,
    int Overdue,
    int Resolved,
    double? ShareContactedWithinDeadline,
    double? MedianMinutesToFirstContact);

public sealed record FollowUpPolicyRequest(int? DeadlineHours);

public sealed record FollowUpPolicyView(string StoreId, int DeadlineHours);

/// <summary>The data of a <c>case.opened</c> event. Contact details are present only when the customer consented.</summary>
public sealed record CaseOpenedData(
    string CaseId,
    string StoreId,
    string StoreName,
    string FeedbackId,
    int Score,
    bool Detractor,
    bool CallbackRequested,
    string? Comment,
    IReadOnlyList<string> Reasons,
    Contact? Contact,
    string Touchpoint,
    string? Language,
    DateTimeOffset SubmittedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    string Url)
{
    public static CaseOpenedData From(FollowUpCase c, Store store, PublicOptions site)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(site);
        var a = c.Answer;
        return new(c.Id, a.StoreId, store.Name, Ids.ClientAnswerId(a.FeedbackId), a.Score.Value, a.Detractor, a.CallbackRequested, a.Comment, a.Reasons, a.Contact,
            a.Touchpoint.ToWire(), a.Language, a.SubmittedAt, c.CreatedAt, c.DueAt, new Uri(site.BaseUri, "api/cases/" + c.Id).ToString());
    }
}
