using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Capture;
using Feedback.Functions.Privacy;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;

namespace Feedback.Functions.Scores;

/// <summary>
/// Applies data retention per store-day, walking the store's day rollups (one range query per
/// store) and marking each day once done, so a run touches only days that newly fell out of range.
/// </summary>
public sealed class Retention(
    StorageAccount storage, PersonalData copies, OpenTokenCeiling ceilings, CaptureService capture, RetentionOptions options, TimeProvider clock, ILogger<Retention> logger)
{
    private const string RunRowKey = "retention";

    /// <summary>Retention has day granularity and walks every store's history, so the timer applies it once a day.</summary>
    public async Task ApplyIfDueAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var last = await storage.Table(TableNames.Rollups).FindAsync<RetentionRunEntity>(ScoreAggregator.MetaPartition, RunRowKey, cancellationToken);
        if (last?.Day != today)
        {
            await ApplyAsync(cancellationToken);
        }
    }

    public async Task<(int AnswersDeleted, int ContactsErased)> ApplyAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rollups = storage.Table(TableNames.Rollups);
        var answerCutoff = today.AddDays(-options.Days);
        var contactCutoff = today.AddDays(-options.ContactDays);
        var feedback = storage.Table(TableNames.Feedback);
        int deleted = 0, erased = 0;
        await foreach (var store in storage.Table(TableNames.Stores).QueryAsync<StoreEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            // Days strictly before the contact cutoff (which is always after the answer cutoff).
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Scope.Store(store.PartitionKey)} and RowKey ge {"day."} and RowKey lt {$"day.{contactCutoff:yyyy-MM-dd}"}");
            await foreach (var day in rollups.QueryAsync<RetentionMarksEntity>(filter, cancellationToken: cancellationToken))
            {
                var date = DateOnly.ParseExact(day.RowKey[4..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                var partition = new StoreDay(store.PartitionKey, date).Key;
                if (date < answerCutoff && day.AnswersDeleted != true)
                {
                    deleted += await RewriteAnswersAsync(feedback, partition, _ => null, cancellationToken);
                    await rollups.UpdateEntityAsync(
                        new RetentionMarksEntity { PartitionKey = day.PartitionKey, RowKey = day.RowKey, AnswersDeleted = true, ContactsErased = true },
                        Azure.ETag.All, TableUpdateMode.Merge, cancellationToken);
                }
                else if (day.ContactsErased != true)
                {
                    erased += await RewriteAnswersAsync(feedback, partition, WithoutContact, cancellationToken);
                    await rollups.UpdateEntityAsync(
                        new RetentionMarksEntity { PartitionKey = day.PartitionKey, RowKey = day.RowKey, ContactsErased = true },
                        Azure.ETag.All, TableUpdateMode.Merge, cancellationToken);
                }
            }
        }

        var now = clock.GetUtcNow();
        await ceilings.ForgetPastDaysAsync(today, cancellationToken);
        erased += await copies.ApplyRetentionAsync(now.AddDays(-options.ContactDays), now.AddDays(-options.CaseDays), now.AddDays(-options.WebhookDays), cancellationToken);
        await capture.ForgetOldClaimsAsync(now, cancellationToken);
        await rollups.UpsertEntityAsync(
            new RetentionRunEntity { PartitionKey = ScoreAggregator.MetaPartition, RowKey = RunRowKey, Day = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
            TableUpdateMode.Replace, cancellationToken);
        if (deleted + erased > 0)
        {
            logger.LogInformation("Retention: {Deleted} answers deleted, contact details erased from {Erased}", deleted, erased);
        }

        return (deleted, erased);
    }

    /// <summary>Deletes answers (rewrite returns null) or replaces them, in transactions of 100; counters are untouched.</summary>
    private static async Task<int> RewriteAnswersAsync(TableClient feedback, string partition, Func<AnswerEntity, AnswerEntity?> rewrite, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        await foreach (var answer in feedback.QueryAsync<AnswerEntity>(StoreDayCounters.AnswerRowsFilter(partition), cancellationToken: cancellationToken))
        {
            var replacement = rewrite(answer);
            if (replacement is null)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, answer, answer.ETag));
            }
            else if (!ReferenceEquals(replacement, answer))
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, replacement, answer.ETag));
            }
        }

        foreach (var chunk in actions.Chunk(100))
        {
            await feedback.SubmitTransactionAsync(chunk, cancellationToken);
        }

        return actions.Count;
    }

    private static AnswerEntity WithoutContact(AnswerEntity answer) =>
        answer.ContactEmail is null && answer.ContactPhone is null ? answer : answer.WithoutContact();
}
