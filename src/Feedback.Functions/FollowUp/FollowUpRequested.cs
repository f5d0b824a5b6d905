using Feedback.Functions.Capture;

namespace Feedback.Functions.FollowUp;

/// <summary>
/// Queue message on followup-requested: an answer someone at the store should act on, because the
/// customer is a detractor (0–6) or left contact details with consent to be called back.
/// </summary>
public sealed record FollowUpRequested(
    string FeedbackId,
    string StoreId,
    int Score,
    bool CallbackRequested,
    string? Comment,
    IReadOnlyList<string> Reasons,
    Contact? Contact,
    string Touchpoint,
    string? Language,
    DateTimeOffset SubmittedAt)
{
    public bool Detractor => Score <= 6;

    /// <summary>The follow-up an answer calls for, or null when it calls for none.</summary>
    public static FollowUpRequested? For(FeedbackSubmitted answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var callback = answer.Contact is not null;
        return answer.Score <= 6 || callback
            ? new FollowUpRequested(answer.Id, answer.StoreId, answer.Score, callback, answer.Comment, answer.Reasons, answer.Contact,
                answer.Touchpoint, answer.Language, answer.SubmittedAt)
            : null;
    }
}
