namespace Feedback.Functions.Rewards;

/// <summary>Queue message on reward-requested: an answer that may earn its store's thank-you reward.</summary>
public sealed record RewardRequested(
    string FeedbackId,
    string StoreId,
    string Partition,
    string Touchpoint,
    string Basis,
    string? ReceiptId,
    string? DeviceId,
    string? Language,
    DateTimeOffset SubmittedAt);
