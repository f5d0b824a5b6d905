using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Feedback.Functions.Webhooks;

namespace Feedback.Functions.FollowUp;

/// <summary>The data of an <c>alert.burst</c> event.</summary>
public sealed record BurstAlert(string StoreId, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Answers, long Detractors);

/// <summary>
/// Burst alerts. Evaluated whenever a follow-up is processed, at time T: the store's answers submitted
/// in (T − window, T] are counted from the stored answers; if the rule holds, one <c>alert.burst</c> is
/// raised and the store stays quiet until T + window. So a store gets at most one alert per window, and
/// the answers of one alert never count towards the next. The alert is claimed on the store's burst row
/// (ETag) before it is published, so concurrent follow-ups raise it once.
/// </summary>
public sealed class BurstDetector(
    StorageAccount storage, WebhookPublisher publisher, FollowUpOptions options, TimeProvider clock, ILogger<BurstDetector> logger)
{
    private const string RowKey = "burst";

    private TableClient State => storage.Table(TableNames.FollowUp);

    public async Task EvaluateAsync(Store store, string feedbackId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var state = await State.FindAsync<BurstStateEntity>(store.Id, RowKey, cancellationToken);
        if (state?.FeedbackId == feedbackId && state.Alert is { } raised)
        {
            // This follow-up raised the last alert and is being redelivered: publishing again is idempotent.
            await PublishAsync(JsonSerializer.Deserialize<BurstAlert>(raised, WebhookEvents.Json)!, cancellationToken);
            return;
        }

        var now = clock.GetUtcNow();
        if (state?.AlertedAt is { } last && now < last + options.BurstWindow)
        {
            return;
        }

        var (answers, detractors) = await CountAsync(store, now - options.BurstWindow, now, cancellationToken);
        if (!BurstRule.IsBurst(answers, detractors, options.BurstMinAnswers, options.BurstDetractorShare))
        {
            return;
        }

        var alert = new BurstAlert(store.Id, now - options.BurstWindow, now, answers, detractors);
        var claim = new BurstStateEntity
        {
            PartitionKey = store.Id,
            RowKey = RowKey,
            AlertedAt = now,
            FeedbackId = feedbackId,
            Alert = JsonSerializer.Serialize(alert, WebhookEvents.Json),
        };
        try
        {
            _ = state is null
                ? await State.AddEntityAsync(claim, cancellationToken)
                : await State.UpdateEntityAsync(claim, state.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return;
        }

        logger.LogWarning("Burst at {StoreId}: {Detractors} detractors of {Answers} answers since {WindowStart}",
            store.Id, detractors, answers, alert.WindowStart);
        await PublishAsync(alert, cancellationToken);
    }

    private Task PublishAsync(BurstAlert alert, CancellationToken cancellationToken) =>
        publisher.PublishAsync(alert.StoreId, WebhookEvents.BurstAlert, $"{alert.StoreId}.{alert.WindowEnd.UtcTicks}", alert, alert.WindowEnd, cancellationToken);

    /// <summary>Answers and detractors submitted in (from, to], from the store-day partitions the window touches.</summary>
    private async Task<(long Answers, long Detractors)> CountAsync(Store store, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var feedback = storage.Table(TableNames.Feedback);
        long answers = 0, detractors = 0;
        for (var day = store.DayOf(from).Day; day <= store.DayOf(to).Day; day = day.AddDays(1))
        {
            var filter = StoreDayCounters.AnswerRowsFilter(new StoreDay(store.Id, day).Key)
                + TableClient.CreateQueryFilter($" and SubmittedAt gt {from} and SubmittedAt le {to}");
            await foreach (var row in feedback.QueryAsync<AnswerEntity>(filter, 1000, ["Score"], cancellationToken))
            {
                answers++;
                detractors += new NpsScore(row.Score).IsDetractor ? 1 : 0;
            }
        }

        return (answers, detractors);
    }
}

/// <summary>A store's burst row in the followup table: the last alert raised, and by which follow-up.</summary>
public sealed class BurstStateEntity : TableRow
{
    public DateTimeOffset? AlertedAt { get; set; }

    public string? FeedbackId { get; set; }

    /// <summary>The <see cref="BurstAlert"/> raised, as JSON, so a redelivered follow-up publishes the same one.</summary>
    public string? Alert { get; set; }
}
