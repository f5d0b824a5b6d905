namespace Feedback.Functions.Rewards;

/// <summary>
/// An issued reward. Stored twice: under its answer in the store-day reward partition (with the cap
/// counter) and under its code in the codes table (PartitionKey = code), which redemption reads.
/// </summary>
public sealed record IssuedReward(string Code, string StoreId, string FeedbackId, string Title, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>The row key of an answer's reward in its store-day partition.</summary>
    public static string RowKeyFor(string feedbackId) => "fb." + feedbackId;

    public IssuedRewardEntity ToEntity(string partition) => Fill(new IssuedRewardEntity { PartitionKey = partition, RowKey = RowKeyFor(FeedbackId) });

    public RewardCodeEntity ToCodeEntity() => Fill(new RewardCodeEntity { PartitionKey = Code });

    private T Fill<T>(T row) where T : RewardColumns
    {
        row.Code = Code;
        row.StoreId = StoreId;
        row.FeedbackId = FeedbackId;
        row.Title = Title;
        row.IssuedAt = IssuedAt;
        row.ExpiresAt = ExpiresAt;
        return row;
    }

    public static IssuedReward FromEntity(IssuedRewardEntity e) =>
        new(e.Code!, e.StoreId!, e.FeedbackId!, e.Title ?? "", e.IssuedAt, e.ExpiresAt);
}

