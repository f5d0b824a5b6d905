using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Hosting;
using Feedback.Functions.Rewards;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;

namespace Feedback.Functions.Processing;

/// <summary>
/// Queue trigger on feedback-submitted. One entity group transaction in the answer's store-day partition stores the
/// answer, counts it, and, when it earns one, records its reward, counts it as rewarded and takes its unit of the
/// daily cap (<see cref="RewardIssuer"/>). Then: the store-day's dirty mark (first, so committed counts are rolled up
/// even while a later step keeps failing), the code under itself, the follow-up. A redelivered message, or one whose
/// earlier delivery crashed anywhere, finds its row, counts and issues nothing again, and redoes the idempotent steps
/// after it. A transaction storage refuses as malformed (400) fails the message, which ends in the poison queue.
/// Status is read from the answer row itself.
/// </summary>
public sealed class ProcessFeedbackFunction(
    StorageAccount storage, StoreCache stores, MessageQueue queue, ErasedContacts erased, StoreDayRows rows, RewardIssuer rewards,
    DirtyMarks dirty, TimeProvider clock, ILogger<ProcessFeedbackFunction> logger)
    : StoreMessageFunction<FeedbackSubmitted>(stores, logger)
{
    public const string Name = "ProcessFeedback";
    private const int MaxAttempts = 30;

    protected override async Task RunAsync(FeedbackSubmitted answer, Store store, CancellationToken cancellationToken)
    {
        if (answer.Contact is not null)
        {
            // Erased while this answer waited in the queue: store it without those details.
            answer = answer with { Contact = await erased.KeepAsync(answer.Contact, cancellationToken) };
        }

        // Fixed when the answer was accepted (messages from before carry none: the day it was made).
        var day = answer.Day is { } pinned ? new StoreDay(store.Id, pinned) : store.DayOf(answer.SubmittedAt);
        var (stored, reward) = await StoreAsync(answer, store, day, cancellationToken);
        logger.LogInformation("Answer {FeedbackId} in {Partition}: {Outcome}", answer.Id, day.Key, stored ? "stored and counted" : "already stored");
        if (stored)
        {
            FeedbackMetrics.AnswerProcessed(answer.Touchpoint.ToWire(), clock.GetUtcNow() - answer.ReceivedAt);
        }

        await dirty.MarkAsync(day, cancellationToken);
        if (reward is not null)
        {
            await rewards.StoreCodeAsync(reward, cancellationToken);
        }

        if (FollowUpRequested.For(answer) is { } followUp)
        {
            await queue.SendAsync(QueueNames.FollowUpRequested, followUp, cancellationToken);
        }
    }

    /// <summary>Whether this delivery stored the answer, and its reward (this delivery's, or the one an earlier delivery stored).</summary>
    private async Task<(bool Stored, IssuedReward? Reward)> StoreAsync(FeedbackSubmitted answer, Store store, StoreDay day, CancellationToken cancellationToken)
    {
        var table = storage.Table(TableNames.Feedback);
        var counts = ScoreCounts.Of(answer.Score, answer.Csat, answer.Ces, ScoreCounts.IsVerified(answer.Source, answer.ReceiptId));
        var campaign = store.Reward;
        var basis = campaign?.BasisFor(answer);
        TableTransactionAction[] journey = answer.JourneyId is { } id ? [StoreDayCounters.JourneyStep(day, id, answer.Score.Category == NpsCategory.Promoter)] : [];
        for (var attempt = 1; ; attempt++)
        {
            var draft = basis is { } b ? rewards.Draft(answer, store, campaign!, b, day, counts) : null;
            var written = new List<TableEntity> { StoreDayCounters.NextShard(rows, day.Key, rewarded: false, answer.Touchpoint, counts with { Breakdown = BreakdownNames.Of(answer) }) };
            written.AddRange(draft?.Rows ?? []);
            var row = AnswerEntity.From(day, answer);
            if (draft?.Reward is { } issued)
            {
                (row.Rewarded, row.RewardCode, row.RewardTitle, row.RewardIssuedAt, row.RewardExpiresAt) = (true, issued.Code, issued.Title, issued.IssuedAt, issued.ExpiresAt);
            }

            try
            {
                var response = await table.SubmitTransactionAsync(
                    [new(TableTransactionActionType.Add, row), .. written.Select(StoreDayRows.WriteAction), .. journey], cancellationToken);
                for (var i = 0; i < written.Count; i++)
                {
                    rows.Written(written[i], response.Value.Count > i + 1 ? response.Value[i + 1].Headers.ETag : null);
                }

                if (draft is { Reward: var r })
                {
                    logger.LogInformation("Reward issued for answer {FeedbackId} at {StoreId}", answer.Id, store.Id);
                    FeedbackMetrics.RewardIssued(answer.Touchpoint.ToWire());
                    return (true, r);
                }

                return (true, null);
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // The answer row's add refused (action 0), or storage did not say which action: it may be stored already.
                if (e.FailedTransactionActionIndex is 0 or null
                    && await table.FindAsync<AnswerEntity>(day.Key, row.RowKey, cancellationToken) is var earlier
                    && (earlier is not null || e.FailedTransactionActionIndex == 0))
                {
                    return (false, earlier is { RewardCode: { } code }
                        ? new IssuedReward(code, store.Id, answer.Id, earlier.RewardTitle ?? "", earlier.RewardIssuedAt ?? earlier.ReceivedAt, earlier.RewardExpiresAt ?? default)
                        : null);
                }

                if (attempt >= MaxAttempts)
                {
                    throw;
                }

                // Another answer wrote one of these rows since this instance saw it, or it is gone: read it (or all, if
                // storage did not say which) and retry.
                var stale = e.FailedTransactionActionIndex is int i && i <= written.Count ? [written[i - 1]] : written;
                foreach (var shard in stale)
                {
                    await rows.RefreshAsync(table, shard.PartitionKey, shard.RowKey, cancellationToken);
                }
            }
            finally
            {
                rewards.Release(written);
            }
        }
    }
}
