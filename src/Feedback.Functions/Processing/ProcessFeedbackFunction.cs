using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Capture;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Hosting;
using Feedback.Functions.Rewards;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;

namespace Feedback.Functions.Processing;

/// <summary>
/// Queue trigger on feedback-submitted: store and count the answer (one transaction), record its
/// status, then request the follow-up and the reward it may earn. Every step is idempotent, so a
/// redelivered message, or one whose earlier delivery crashed half-way, completes the remaining
/// steps and counts nothing twice.
/// </summary>
public sealed class ProcessFeedbackFunction(
    StorageAccount storage, StoreCache stores, MessageQueue queue, ErasedContacts erased, TimeProvider clock, ILogger<ProcessFeedbackFunction> logger)
    : StoreMessageFunction<FeedbackSubmitted>(stores, logger)
{
    public const string Name = "ProcessFeedback";

    protected override async Task RunAsync(FeedbackSubmitted answer, Store store, CancellationToken cancellationToken)
    {
        if (answer.Contact is not null)
        {
            // Erased while this answer waited in the queue: store it without those details.
            answer = answer with { Contact = await erased.KeepAsync(answer.Contact, cancellationToken) };
        }

        var day = await PinDayAsync(answer, store.DayOf(answer.SubmittedAt), cancellationToken);
        var stored = await StoreDayCounters.AddAndCountAsync(
            storage.Table(TableNames.Feedback),
            new TableTransactionAction(TableTransactionActionType.Add, AnswerEntity.From(day, answer)),
            rewarded: false,
            answer.Touchpoint,
            ScoreCounts.Of(answer.Score, answer.Csat, answer.Ces, ScoreCounts.IsVerified(answer.Source, answer.ReceiptId))
                with { Breakdown = BreakdownNames.Of(answer) },
            cancellationToken,
            also: answer.JourneyId is { } journey ? StoreDayCounters.JourneyStep(day, journey, answer.Score.Category == NpsCategory.Promoter) : null);
        logger.LogInformation("Answer {FeedbackId} in {Partition}: {Outcome}", answer.Id, day.Key, stored ? "stored and counted" : "already stored");
        if (stored)
        {
            FeedbackMetrics.AnswerProcessed(answer.Touchpoint.ToWire(), clock.GetUtcNow() - answer.ReceivedAt);
        }

        await DirtyStoreDays.MarkAsync(storage, day, cancellationToken);

        await storage.Table(TableNames.FeedbackStatus).UpsertEntityAsync(
            new FeedbackStatusEntity { PartitionKey = FeedbackStatusReader.PartitionKey(store.Id, answer.Id), ProcessedAt = clock.GetUtcNow() },
            TableUpdateMode.Merge,
            cancellationToken);

        if (FollowUpRequested.For(answer) is { } followUp)
        {
            await queue.SendAsync(QueueNames.FollowUpRequested, followUp, cancellationToken);
        }

        if (store.Reward?.BasisFor(answer) is { } basis)
        {
            await queue.SendAsync(QueueNames.RewardRequested, new RewardRequested(
                answer.Id, store.Id, day.Day, answer.Touchpoint, basis, answer.ReceiptId, answer.DeviceId, answer.Language, answer.SubmittedAt),
                cancellationToken);
        }
    }

    /// <summary>
    /// The store-day an answer belongs to, fixed by its first delivery: the same id sent again on
    /// another day (a retried request, a re-uploaded kiosk queue) finds it and is counted nowhere else.
    /// </summary>
    private async Task<StoreDay> PinDayAsync(FeedbackSubmitted answer, StoreDay day, CancellationToken cancellationToken)
    {
        var status = storage.Table(TableNames.FeedbackStatus);
        var key = FeedbackStatusReader.PartitionKey(answer.StoreId, answer.Id);
        try
        {
            await status.AddEntityAsync(new FeedbackStatusEntity { PartitionKey = key, Partition = day.Key }, cancellationToken);
            return day;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            var pinned = await status.GetEntityAsync<FeedbackStatusEntity>(key, "", ["Partition"], cancellationToken);
            return pinned.Value.Partition is { } partition ? StoreDay.Parse(partition) : day;
        }
    }
}
