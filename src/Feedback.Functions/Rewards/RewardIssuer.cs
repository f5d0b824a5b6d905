using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;

namespace Feedback.Functions.Rewards;

/// <summary>
/// What an eligible answer's transaction adds to earn its reward, in the answer's store-day partition of the
/// feedback table: the reward on the answer row, the rewarded counter shard, one unit of a daily-cap share and, for
/// a kiosk, the kiosk's claim on its interval. All are written with the answer or not at all, so the cap is exact,
/// a redelivered answer finds its reward on its row, and one receipt (one answer, <see cref="Ids.StoredAnswerId"/>)
/// earns one reward. The code is also stored under itself (rewardcodes) for lookup and redemption.
/// </summary>
public sealed class RewardIssuer(StorageAccount storage, StoreDayRows rows, RewardOptions options, TimeProvider clock)
{
    /// <summary>
    /// Daily-cap shares per store-day: rewards at one busy store take units of different rows, not one row's ETag.
    /// As many as an instance runs handlers at once (host.json: up to 24), so its concurrent rewards rarely share one.
    /// Share i allows <see cref="Allowance"/> rewards; they add up to the cap exactly, so no rebalancing is needed.
    /// </summary>
    public const int CapShares = 32;

    public static string CapShareRowKey(int share) => $"cap.{share}";

    /// <summary>The kiosk's claim on its reward interval: <c>k.{device}</c> in the store-day partition.</summary>
    public static string KioskClaimRowKey(string deviceId) => "k." + deviceId;

    /// <summary>The receipt's reward in the store-day partition: <c>rc.{receipt}</c>, written only with a rewarded answer.</summary>
    public static string ReceiptClaimRowKey(string receiptId) => "rc." + receiptId;

    public static long Allowance(int share, int dailyCap) => (dailyCap / CapShares) + (share < dailyCap % CapShares ? 1 : 0);

    /// <summary>Rewards a store-day's cap shares say were issued.</summary>
    public static long Issued(TableEntity? share) => share?.GetInt64("Issued") ?? 0;

    /// <summary>
    /// The reward and the rows to write with the answer (reserved in <see cref="StoreDayRows"/>; release them), or
    /// null: the cap is taken, or the kiosk's interval has not passed since a claim this instance saw.
    /// </summary>
    public (IssuedReward Reward, List<TableEntity> Rows)? Draft(
        FeedbackSubmitted answer, Store store, RewardCampaign campaign, RewardBasis basis, StoreDay day, ScoreCounts counts)
    {
        var partition = day.Key;
        var taken = new List<TableEntity>();
        if (basis == RewardBasis.Kiosk && answer.DeviceId is { } device)
        {
            var claimKey = KioskClaimRowKey(device);
            rows.Reserve(partition, claimKey, onlyIfFree: false);
            var now = clock.GetUtcNow();
            var claim = rows.Next(partition, claimKey, out var last);
            if (last?.GetDateTimeOffset("At") is { } at && now - at < options.KioskInterval)
            {
                rows.Release(partition, claimKey);
                return null;
            }

            (claim["At"], claim["FeedbackId"]) = (now, answer.Id);
            taken.Add(claim);
        }

        if (basis == RewardBasis.Receipt && answer.ReceiptId is { } receipt)
        {
            // The capture claim lets one answer id per receipt through; this row holds on its store-day whatever that let through.
            var claimKey = ReceiptClaimRowKey(receipt);
            rows.Reserve(partition, claimKey, onlyIfFree: false);
            var claim = rows.Next(partition, claimKey, out var seen);
            if (seen is not null)
            {
                Release([.. taken, claim]);
                return null;
            }

            claim["FeedbackId"] = answer.Id;
            taken.Add(claim);
        }

        // The share is checked on the same sight its new count is computed from and conditioned on (another handler
        // may fill it between the pick and the write: the write is then refused and the share seen again).
        var shareKeys = Enumerable.Range(0, CapShares).Select(CapShareRowKey).ToList();
        bool Open(string key, TableEntity? seen) => Issued(seen) < Allowance(shareKeys.IndexOf(key), campaign.DailyCap);
        while (true)
        {
            if (rows.ReserveOne(partition, shareKeys, Open) is not { } shareKey)
            {
                // Every share is full: shares only fill up, so what this instance saw of them is final.
                Release(taken);
                return null;
            }

            var share = rows.Next(partition, shareKey, out var seen);
            if (Open(shareKey, seen))
            {
                share["Issued"] = Issued(seen) + 1;
                taken.Add(share);
                break;
            }

            rows.Release(partition, shareKey);
        }

        taken.Add(StoreDayCounters.NextShard(rows, partition, rewarded: true, answer.Touchpoint, counts));
        var now2 = clock.GetUtcNow();
        var reward = new IssuedReward(RewardCode.New(), store.Id, answer.Id, campaign.TitleFor(answer.Language, store.Languages), now2, now2.AddDays(campaign.ValidDays));
        return (reward, taken);
    }

    public void Release(IEnumerable<TableEntity> taken)
    {
        foreach (var row in taken)
        {
            rows.Release(row.PartitionKey, row.RowKey);
        }
    }

    /// <summary>The code under itself, for lookup and redemption. Also on redelivery; never overwritten, it may be redeemed already.</summary>
    public async Task StoreCodeAsync(IssuedReward reward, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Table(TableNames.RewardCodes).AddEntityAsync(reward.ToCodeEntity(), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }
}
