using Feedback.Functions.Capture;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Hosting;
using Feedback.Functions.Rewards;
using Feedback.Functions.Scores;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Azure.Data.Tables;

namespace Feedback.Functions.Processing;

/// <summary>
/// Queue trigger on feedback-submitted: store and count the answer (one transaction), record its
/// status, then request the reward it may earn. Every step is idempotent, so a redelivered message,
/// or one whose earlier delivery crashed half-way, completes the remaining steps and counts nothing twice.
/// </summary>
public sealed class ProcessFeedbackFunction(
    StorageAccount storage, StoreCache stores, MessageQueue queue, TimeProvider clock, ILogger<ProcessFeedbackFunction> logger) : IQueueFunction
{
    public const string Name = "ProcessFeedback";

    public async Task RunAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        var answer = MessageQueue.Read<FeedbackSubmitted>(trigger.Text);
        var store = await stores.GetAsync(answer.StoreId, cancellationToken);
        if (store is null)
        {
            logger.LogWarning("Answer {FeedbackId} is for unknown store {StoreId}; dropped", answer.Id, answer.StoreId);
            return;
        }

        var partition = await PinPartitionAsync(store.Id, answer, StoreDayCounters.PartitionKey(store.Id, Periods.LocalDate(answer.SubmittedAt, store.Zone)), cancellationToken);
        var stored = await StoreDayCounters.AddAndCountAsync(
            storage.Table(TableNames.Feedback),
            new TableTransactionAction(TableTransactionActionType.Add, StoreDayCounters.AnswerRow(partition, answer)),
            rewarded: false,
            answer.Touchpoint,
            StoreDayCounters.Delta(answer.Score, answer.Csat, answer.Ces),
            cancellationToken);
        logger.LogInformation("Answer {FeedbackId} in {Partition}: {Outcome}", answer.Id, partition, stored ? "stored and counted" : "already stored");
        if (stored)
        {
            FeedbackMetrics.AnswerProcessed(answer.Touchpoint, clock.GetUtcNow() - answer.ReceivedAt);
        }

        await ScoreAggregator.MarkDirtyAsync(storage, store.Id, partition, cancellationToken);

        await storage.Table(TableNames.FeedbackStatus).UpsertEntityAsync(
            new FeedbackStatusEntity { PartitionKey = FeedbackStatusReader.PartitionKey(store.Id, answer.Id), ProcessedAt = clock.GetUtcNow() },
            TableUpdateMode.Merge,
            cancellationToken);

        if (FollowUpRequested.For(answer) is { } followUp)
        {
            await queue.SendAsync(QueueNames.FollowUpRequested, followUp, cancellationToken);
        }

        if (RewardCampaign.Parse(store.RewardJson)?.BasisFor(answer) is { } basis)
        {
            await queue.SendAsync(QueueNames.RewardRequested, new RewardRequested(
                answer.Id, store.Id, partition, answer.Touchpoint, basis, answer.ReceiptId, answer.DeviceId, answer.Language, answer.SubmittedAt),
                cancellationToken);
        }
    }

    /// <summary>
    /// The store-day an answer belongs to, fixed by its first delivery: the same id sent again on
    /// another day (a retried request, a re-uploaded kiosk queue) finds it and is counted nowhere else.
    /// </summary>
    private async Task<string> PinPartitionAsync(string storeId, FeedbackSubmitted answer, string partition, CancellationToken cancellationToken)
    {
        var status = storage.Table(TableNames.FeedbackStatus);
        try
        {
            await status.AddEntityAsync(new FeedbackStatusEntity { PartitionKey = FeedbackStatusReader.PartitionKey(storeId, answer.Id), Partition = partition }, cancellationToken);
            return partition;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            var pinned = await status.GetEntityAsync<FeedbackStatusEntity>(FeedbackStatusReader.PartitionKey(storeId, answer.Id), "", ["Partition"], cancellationToken);
            return pinned.Value.Partition ?? partition;
        }
    }
}
