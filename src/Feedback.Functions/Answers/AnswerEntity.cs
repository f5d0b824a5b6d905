using Feedback.Functions.Storage;

namespace Feedback.Functions.Answers;

/// <summary>A stored answer in the feedback table (keys: <see cref="StoreDayCounters"/>). Null properties are not stored.</summary>
public sealed class AnswerEntity : TableRow
{
    public int Score { get; set; }
    public int? Csat { get; set; }
    public int? Ces { get; set; }
    public string? Touchpoint { get; set; }
    public string? Source { get; set; }
    public string? DeviceId { get; set; }
    public string? DeviceKind { get; set; }
    public string? ReceiptId { get; set; }

    /// <summary>JSON array of reason codes; not stored when there are none.</summary>
    public string? Reasons { get; set; }
    public string? Comment { get; set; }
    public string? Language { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string? JourneyId { get; set; }

    /// <summary>JSON object of segment answers (<c>{"visit":"first"}</c>); not stored when there are none.</summary>
    public string? Segments { get; set; }
    public string? StaffId { get; set; }
    public string? ContactEmail { get; set; }
    public string? ContactPhone { get; set; }
    public bool Rewarded { get; set; }

    /// <summary>The reward issued for the answer, written with the answer in its one transaction; the status URL shows it.</summary>
    public string? RewardCode { get; set; }
    public string? RewardTitle { get; set; }
    public DateTimeOffset? RewardIssuedAt { get; set; }
    public DateTimeOffset? RewardExpiresAt { get; set; }

    /// <summary>The row of an answer, in the store-day it was counted on.</summary>
    public static AnswerEntity From(StoreDay day, FeedbackSubmitted m) => new()
    {
        PartitionKey = day.Key,
        RowKey = StoreDayCounters.AnswerRowKey(m.Id),
        Score = m.Score.Value,
        Csat = m.Csat,
        Ces = m.Ces,
        Touchpoint = m.Touchpoint.ToWire(),
        Source = m.Source.ToWire(),
        DeviceId = m.DeviceId,
        DeviceKind = m.DeviceKind?.ToWire(),
        ReceiptId = m.ReceiptId,
        Reasons = m.Reasons.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(m.Reasons),
        Comment = m.Comment,
        Language = m.Language,
        SubmittedAt = m.SubmittedAt,
        ReceivedAt = m.ReceivedAt,
        JourneyId = m.JourneyId,
        Segments = m.Segments is { Count: > 0 } segments ? System.Text.Json.JsonSerializer.Serialize(segments) : null,
        StaffId = m.StaffId,
        ContactEmail = m.Contact?.Email,
        ContactPhone = m.Contact?.Phone,
        Rewarded = false,
    };

    public AnswerEntity WithoutContact()
    {
        var copy = (AnswerEntity)MemberwiseClone();
        copy.ContactEmail = null;
        copy.ContactPhone = null;
        return copy;
    }
}
