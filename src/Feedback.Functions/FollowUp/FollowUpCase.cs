using System.Globalization;
using System.Text.Json;
using Azure;
using Feedback.Functions.Capture;
using Azure.Data.Tables;

namespace Feedback.Functions.FollowUp;

public sealed record CaseNote(DateTimeOffset At, string Status, string? Note);

/// <summary>
/// A follow-up case: one per answer that asked for one, due for first contact by <see cref="DueAt"/>.
/// Stored in the cases table under its store (PartitionKey = store id), RowKey = <c>c.{inverted created ticks}.{feedback id}</c>
/// so a store's cases list newest first; an index row <c>f.{feedback id}</c> makes creation idempotent and finds a case by id.
/// </summary>
public sealed record FollowUpCase(
    string StoreId,
    string FeedbackId,
    int Score,
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
    DateTimeOffset? FirstContactedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<CaseNote> Notes)
{
    public const string Open = "open";
    public const string Contacted = "contacted";
    public const string Resolved = "resolved";

    public ETag ETag { get; init; }

    /// <summary>The case id of the API: <c>{store id}.{feedback id}</c> (store ids never contain a dot).</summary>
    public string Id => CaseId(StoreId, FeedbackId);

    public bool Detractor => Score <= 6;

    /// <summary>Overdue: nobody has contacted the customer and the deadline has passed.</summary>
    public bool IsOverdue(DateTimeOffset now) => Status == Open && now > DueAt;

    public static string CaseId(string storeId, string feedbackId) => storeId + "." + feedbackId;

    public static string RowKey(DateTimeOffset createdAt, string feedbackId) => $"c.{Inverted(createdAt)}.{feedbackId}";

    public static string IndexRowKey(string feedbackId) => "f." + feedbackId;

    /// <summary>Ticks counted back from the end of time, fixed width, so later times sort first.</summary>
    public static string Inverted(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public static FollowUpCase OpenFor(FollowUpRequested m, DateTimeOffset now, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.StoreId, m.FeedbackId, m.Score, m.CallbackRequested, m.Comment, m.Reasons, m.Contact, m.Touchpoint, m.Language,
            m.SubmittedAt, now, now + deadline, Open, null, null, null, []);
    }

    public TableEntity ToEntity() => new(StoreId, RowKey(CreatedAt, FeedbackId))
    {
        ["FeedbackId"] = FeedbackId,
        ["Score"] = Score,
        ["Detractor"] = Detractor,
        ["CallbackRequested"] = CallbackRequested,
        ["Comment"] = Comment,
        ["Reasons"] = Reasons.Count == 0 ? null : JsonSerializer.Serialize(Reasons),
        ["ContactEmail"] = Contact?.Email,
        ["ContactPhone"] = Contact?.Phone,
        ["Touchpoint"] = Touchpoint,
        ["Language"] = Language,
        ["SubmittedAt"] = SubmittedAt,
        ["CreatedAt"] = CreatedAt,
        ["DueAt"] = DueAt,
        ["Status"] = Status,
        ["FirstContactedAt"] = FirstContactedAt,
        ["ResolvedAt"] = ResolvedAt,
        ["UpdatedAt"] = UpdatedAt,
        ["Notes"] = Notes.Count == 0 ? null : JsonSerializer.Serialize(Notes, JsonOptions),
    };

    public TableEntity ToIndexEntity() => new(StoreId, IndexRowKey(FeedbackId)) { ["CaseRowKey"] = RowKey(CreatedAt, FeedbackId) };

    public static FollowUpCase FromEntity(TableEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var email = e.GetString("ContactEmail");
        var phone = e.GetString("ContactPhone");
        return new FollowUpCase(
            e.PartitionKey,
            e.GetString("FeedbackId") ?? "",
            e.GetInt32("Score") ?? 0,
            e.GetBoolean("CallbackRequested") ?? false,
            e.GetString("Comment"),
            e.GetString("Reasons") is { } reasons ? JsonSerializer.Deserialize<string[]>(reasons) ?? [] : [],
            email is null && phone is null ? null : new Contact(email, phone),
            e.GetString("Touchpoint") ?? "",
            e.GetString("Language"),
            e.GetDateTimeOffset("SubmittedAt") ?? default,
            e.GetDateTimeOffset("CreatedAt") ?? default,
            e.GetDateTimeOffset("DueAt") ?? default,
            e.GetString("Status") ?? Open,
            e.GetDateTimeOffset("FirstContactedAt"),
            e.GetDateTimeOffset("ResolvedAt"),
            e.GetDateTimeOffset("UpdatedAt"),
            e.GetString("Notes") is { } notes ? JsonSerializer.Deserialize<CaseNote[]>(notes, JsonOptions) ?? [] : [])
        {
            ETag = e.ETag,
        };
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
