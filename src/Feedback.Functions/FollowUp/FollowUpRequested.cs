using Feedback.Functions.Answers;

namespace Feedback.Functions.FollowUp;

/// <summary>
/// Queue message on followup-requested: an answer someone at the store should act on, because the
/// customer is a detractor or left contact details with consent to be called back. It is also the
/// answer part of the case it opens (<see cref="FollowUpCase.Answer"/>).
/// </summary>
public sealed record FollowUpRequested(
    string FeedbackId,
    string StoreId,
    NpsScore Score,
    bool CallbackRequested,
    string? Comment,
    IReadOnlyList<string> Reasons,
    Contact? Contact,
    Touchpoint Touchpoint,
    string? Language,
    DateTimeOffset SubmittedAt) : IStoreMessage
{
    public bool Detractor => Score.IsDetractor;

    /// <summary>The follow-up an answer calls for, or null when it calls for none.</summary>
    public static FollowUpRequested? For(FeedbackSubmitted answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var callback = answer.Contact is not null;
        return answer.Score.IsDetractor || callback
            ? new FollowUpRequested(answer.Id, answer.StoreId, answer.Score, callback, answer.Comment, answer.Reasons, answer.Contact,
                answer.Touchpoint, answer.Language, answer.SubmittedAt)
            : null;
    }
}
