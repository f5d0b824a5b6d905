namespace Feedback.Functions.Storage;

/// <summary>Every queue and table the app uses, in one place. function.json files name the same queues.</summary>
public static class QueueNames
{
    public const string FeedbackSubmitted = "feedback-submitted";
    public const string RewardRequested = "reward-requested";

    public static IReadOnlyList<string> All { get; } = [FeedbackSubmitted, RewardRequested];
}

public static class TableNames
{
    /// <summary>Timer occurrences claimed by an instance, so a schedule fires once across instances.</summary>
    public const string Leases = "leases";

    public static IReadOnlyList<string> All { get; } = [Leases];
}
