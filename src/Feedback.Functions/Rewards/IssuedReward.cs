using Azure.Data.Tables;

namespace Feedback.Functions.Rewards;

/// <summary>
/// An issued reward. Stored twice: under its answer in the store-day reward partition (with the cap
/// counter) and under its code in the codes table (PartitionKey = code), which redemption reads.
/// </summary>
public sealed record IssuedReward(string Code, string StoreId, string FeedbackId, string Title, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public TableEntity ToEntity(string partition) => Fill(new TableEntity(partition, "fb." + FeedbackId));

    public TableEntity ToCodeEntity() => Fill(new TableEntity(Code, ""));

    private TableEntity Fill(TableEntity e)
    {
        e["Code"] = Code;
        e["StoreId"] = StoreId;
        e["FeedbackId"] = FeedbackId;
        e["Title"] = Title;
        e["IssuedAt"] = IssuedAt;
        e["ExpiresAt"] = ExpiresAt;
        return e;
    }

    public static IssuedReward FromEntity(TableEntity e) => new(
        e.GetString("Code")!, e.GetString("StoreId")!, e.GetString("FeedbackId")!, e.GetString("Title") ?? "",
        e.GetDateTimeOffset("IssuedAt") ?? default, e.GetDateTimeOffset("ExpiresAt") ?? default);
}

public sealed class RewardOptions
{
    public const string Section = "Rewards";

    /// <summary>A kiosk earns at most one reward per this interval, so a person cannot farm it by tapping.</summary>
    public TimeSpan KioskInterval { get; set; } = TimeSpan.FromMinutes(2);
}
