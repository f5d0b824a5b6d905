using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Capture;
using Feedback.Functions.Hosting;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;

namespace Feedback.Functions.Rewards;

/// <summary>
/// Queue trigger on reward-requested: mints at most one reward per answer, per receipt and per kiosk
/// interval, within the store's daily cap. The reward and the cap count are written in one
/// transaction keyed by the answer, so redelivery returns the same reward and the cap holds exactly.
/// </summary>
public sealed class IssueRewardFunction(
    StorageAccount storage, StoreCache stores, RewardOptions options, TimeProvider clock, ILogger<IssueRewardFunction> logger)
    : StoreMessageFunction<RewardRequested>(stores, logger)
{
    public const string Name = "IssueReward";

    /// <summary>The row key of a store-day's <see cref="RewardCapEntity"/>.</summary>
    private const string CapRowKey = "cap";

    private TableClient Rewards => storage.Table(TableNames.Rewards);

    protected override async Task RunAsync(RewardRequested request, Store store, CancellationToken cancellationToken)
    {
        if (store.Reward is not { } campaign)
        {
            logger.LogInformation("No reward campaign at {StoreId}; answer {FeedbackId} gets none", request.StoreId, request.FeedbackId);
            return;
        }

        // The answer's pinned store-day: the same on every redelivery, whatever the clock or the store's zone says now.
        var day = request.Day;
        var issued = await ExistingAsync(request, day, cancellationToken) ?? await TryIssueAsync(request, store, campaign, day, cancellationToken);
        if (issued is null)
        {
            return;
        }

        await StoreCodeAsync(issued, cancellationToken);
        await RecordAsync(request, issued, cancellationToken);
    }

    private async Task<IssuedReward?> ExistingAsync(RewardRequested request, DateOnly day, CancellationToken cancellationToken) =>
        await Rewards.FindAsync<IssuedRewardEntity>(DayPartition(request.StoreId, day), IssuedReward.RowKeyFor(request.FeedbackId), cancellationToken) is { } row
            ? IssuedReward.FromEntity(row)
            : null;

    private async Task<IssuedReward?> TryIssueAsync(
        RewardRequested request, Store store, RewardCampaign campaign, DateOnly day, CancellationToken cancellationToken)
    {
        if (!await ClaimBasisAsync(request, cancellationToken))
        {
            logger.LogInformation("Answer {FeedbackId}: {Basis} already rewarded; no reward", request.FeedbackId, request.Basis);
            return null;
        }

        var now = clock.GetUtcNow();
        var reward = new IssuedReward(
            RewardCode.New(), store.Id, request.FeedbackId, campaign.TitleFor(request.Language, store.Languages), now, now.AddDays(campaign.ValidDays));
        var partition = DayPartition(store.Id, day);
        while (true)
        {
            var cap = await Rewards.FindAsync<RewardCapEntity>(partition, CapRowKey, cancellationToken);
            var count = cap?.Issued ?? 0;
            if (count >= campaign.DailyCap)
            {
                logger.LogInformation("Daily reward cap {Cap} reached at {StoreId} on {Day}; answer {FeedbackId} gets none",
                    campaign.DailyCap, store.Id, day, request.FeedbackId);
                return null;
            }

            var counter = new RewardCapEntity { PartitionKey = partition, RowKey = CapRowKey, Issued = count + 1 };
            try
            {
                await Rewards.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.Add, reward.ToEntity(partition)),
                    cap is null ? new(TableTransactionActionType.Add, counter) : new(TableTransactionActionType.UpdateMerge, counter, cap.ETag),
                ], cancellationToken);
                break;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status == 409)
            {
                return await ExistingAsync(request, day, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 1 && e.Status is 409 or 412)
            {
                // Another reward took the cap's ETag first: re-read and try again.
            }
        }

        logger.LogInformation("Reward issued for answer {FeedbackId} at {StoreId}", request.FeedbackId, store.Id);
        FeedbackMetrics.RewardIssued(request.Touchpoint.ToWire());
        return reward;
    }

    /// <summary>Also on redelivery: a delivery that died after issuing must not leave a code that cannot be redeemed.</summary>
    private async Task StoreCodeAsync(IssuedReward reward, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Table(TableNames.RewardCodes).AddEntityAsync(reward.ToCodeEntity(), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Written by an earlier delivery; never overwrite, it may be redeemed already.
        }
    }

    /// <summary>One reward per receipt ever, and per kiosk per interval. The claim names the answer, so redelivery passes it again.</summary>
    private async Task<bool> ClaimBasisAsync(RewardRequested request, CancellationToken cancellationToken)
    {
        switch (request.Basis)
        {
            case RewardBasis.Receipt when request.ReceiptId is { } receipt:
                return await ClaimAsync(new RewardClaimEntity { PartitionKey = request.StoreId, RowKey = "receipt." + receipt, FeedbackId = request.FeedbackId }, null, cancellationToken);
            case RewardBasis.Kiosk when request.DeviceId is { } device:
                var now = clock.GetUtcNow();
                var claim = new RewardClaimEntity { PartitionKey = request.StoreId, RowKey = "kiosk." + device, FeedbackId = request.FeedbackId, At = now };
                // The clock is read after the other claim is, so an interval of zero always lets the next answer through.
                return await ClaimAsync(claim, last => clock.GetUtcNow() - (last.At ?? DateTimeOffset.MinValue) >= options.KioskInterval, cancellationToken);
            default:
                return true;
        }
    }

    private async Task<bool> ClaimAsync(RewardClaimEntity claim, Func<RewardClaimEntity, bool>? renewable, CancellationToken cancellationToken)
    {
        try
        {
            await Rewards.AddEntityAsync(claim, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            RewardClaimEntity existing = await Rewards.GetEntityAsync<RewardClaimEntity>(claim.PartitionKey, claim.RowKey, cancellationToken: cancellationToken);
            if (existing.FeedbackId == claim.FeedbackId)
            {
                return true;
            }

            if (renewable is null || !renewable(existing))
            {
                return false;
            }

            try
            {
                await Rewards.UpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException conflict) when (conflict.Status == 412)
            {
                return false;
            }
        }
    }

    /// <summary>Shows the reward on the status URL and counts the answer as rewarded, once.</summary>
    private async Task RecordAsync(RewardRequested request, IssuedReward reward, CancellationToken cancellationToken)
    {
        var feedback = storage.Table(TableNames.Feedback);
        while (await feedback.FindAsync<AnswerEntity>(request.StoreDay.Key, StoreDayCounters.AnswerRowKey(request.FeedbackId), cancellationToken) is { } answer
               && !answer.Rewarded)
        {
            var marked = new AnswerRewardedEntity { PartitionKey = answer.PartitionKey, RowKey = answer.RowKey, Rewarded = true, RewardCode = reward.Code };
            var verified = WireEnum.TryParse<AnswerSource>(answer.Source, out var source) && ScoreCounts.IsVerified(source, answer.ReceiptId);
            var delta = ScoreCounts.Of(new NpsScore(answer.Score), answer.Csat, answer.Ces, verified);
            if (await StoreDayCounters.AddAndCountAsync(
                    feedback, new TableTransactionAction(TableTransactionActionType.UpdateMerge, marked, answer.ETag),
                    rewarded: true, WireEnum.TryParse<Touchpoint>(answer.Touchpoint, out var stored) ? stored : request.Touchpoint, delta, cancellationToken))
            {
                break;
            }
        }

        await DirtyStoreDays.MarkAsync(storage, request.StoreDay, cancellationToken);

        await storage.Table(TableNames.FeedbackStatus).UpsertEntityAsync(
            new FeedbackStatusEntity
            {
                PartitionKey = FeedbackStatusReader.PartitionKey(request.StoreId, request.FeedbackId),
                RewardCode = reward.Code,
                RewardTitle = reward.Title,
                RewardExpiresAt = reward.ExpiresAt,
            },
            TableUpdateMode.Merge,
            cancellationToken);
    }

    private static string DayPartition(string storeId, DateOnly day) => new StoreDay(storeId, day).Key;
}
