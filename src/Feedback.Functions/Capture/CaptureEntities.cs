using Feedback.Functions.Storage;

namespace Feedback.Functions.Capture;

/// <summary>A row of the receipts table: which answer claimed the receipt, and when.</summary>
public sealed class ReceiptClaimEntity : TableRow
{
    public string? FeedbackId { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }

    /// <summary>The store-local day (yyyy-MM-dd) the claiming answer counts on; retries of it count there too.</summary>
    public string? Day { get; set; }

    /// <summary>When the claiming token expires: after it no answer for the receipt can come, and the claim is deleted.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

/// <summary>A row of the answerdays table: the store-day partition an answer sent with its own id and no time counts in.</summary>
public sealed class AnswerDayEntity : TableRow
{
    public string? Partition { get; set; }
}
