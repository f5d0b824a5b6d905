using Feedback.Functions.Answers;
using Feedback.Functions.Stores;

namespace Feedback.Functions.Rewards;

/// <summary>
/// Queue message on reward-requested: an answer that may earn its store's thank-you reward, with
/// the store-local <see cref="Day"/> its answer was counted on.
/// </summary>
public sealed record RewardRequested(
    string FeedbackId,
    string StoreId,
    DateOnly Day,
    Touchpoint Touchpoint,
    RewardBasis Basis,
    string? ReceiptId,
    string? DeviceId,
    string? Language,
    DateTimeOffset SubmittedAt) : IStoreMessage
{
    public StoreDay StoreDay => new(StoreId, Day);
}
