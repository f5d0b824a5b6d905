using Feedback.Functions.Storage;

namespace Feedback.Functions.Rewards;

/// <summary>The columns of an issued reward, in both places it is stored (<see cref="IssuedReward"/>).</summary>
public abstract class RewardColumns : TableRow
{
    public string? Code { get; set; }
    public string? StoreId { get; set; }
    public string? FeedbackId { get; set; }
    public string? Title { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>An issued reward under its answer in the rewards table: PartitionKey the store-day, RowKey <see cref="IssuedReward.RowKeyFor"/>.</summary>
public sealed class IssuedRewardEntity : RewardColumns
{
}

/// <summary>A reward under its code in the rewardcodes table, which redemption reads: PartitionKey the code, RowKey "".</summary>
public sealed class RewardCodeEntity : RewardColumns
{
    /// <summary>Written only by <see cref="RewardRedemptionEntity"/>.</summary>
    public DateTimeOffset? RedeemedAt { get; set; }
    public string? RedeemedBy { get; set; }
}

/// <summary>The columns merged onto a <see cref="RewardCodeEntity"/> row when it is redeemed, and nothing else.</summary>
public sealed class RewardRedemptionEntity : TableRow
{
    public DateTimeOffset RedeemedAt { get; set; }
    public string? RedeemedBy { get; set; }
}

/// <summary>A store-day's count of issued rewards in the rewards table: PartitionKey the store-day, RowKey "cap".</summary>
public sealed class RewardCapEntity : TableRow
{
    public long Issued { get; set; }
}

/// <summary>
/// A receipt or kiosk claimed by an answer in the rewards table: PartitionKey the store, RowKey
/// <c>receipt.{id}</c> or <c>kiosk.{device}</c>. Only kiosk claims have <see cref="At"/>.
/// </summary>
public sealed class RewardClaimEntity : TableRow
{
    public string? FeedbackId { get; set; }
    public DateTimeOffset? At { get; set; }
}
