using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Capture;
using Feedback.Functions.Hosting;
using Feedback.Functions.Processing;
using Feedback.Functions.Storage;

namespace Feedback.IntegrationTests.Infrastructure;

/// <summary>What tests read from the app's storage directly: queue depths and stored answers.</summary>
public static class AppStorage
{
    public static StorageAccount Storage(this AppFixture app) => app.App.Services.GetRequiredService<StorageAccount>();

    /// <summary>The queue's approximate count; a queue that was never created (a poison queue) holds nothing.</summary>
    public static async Task<int> QueueCountAsync(this AppFixture app, string queueName)
    {
        try
        {
            return await app.Storage().Queue(queueName).GetApproximateMessagesCountAsync();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>
    /// Runs ProcessFeedback on every waiting message and deletes it, as the trigger would: for
    /// fixtures whose triggers are off. Returns how many messages it processed.
    /// </summary>
    public static async Task<int> ProcessWaitingAsync(this AppFixture app)
    {
        var queue = app.Storage().Queue(QueueNames.FeedbackSubmitted);
        var processed = 0;
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                using var scope = app.App.Services.CreateScope();
                await scope.ServiceProvider.GetRequiredService<ProcessFeedbackFunction>().RunAsync(
                    new QueueTrigger(message.Body.ToString(), message.MessageId, message.DequeueCount, message.InsertedOn), CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                processed++;
            }
        }

        return processed;
    }

    /// <summary>An answer's stored row, found through its status row, so a test never guesses the store-local day.</summary>
    public static async Task<TableEntity?> AnswerRowAsync(this AppFixture app, string storeId, string id)
    {
        var status = await app.Storage().Table(TableNames.FeedbackStatus).FindAsync<TableEntity>(FeedbackStatusReader.PartitionKey(storeId, id), "", CancellationToken.None);
        return status?.GetString("Partition") is { } partition
            ? await app.Storage().Table(TableNames.Feedback).FindAsync<TableEntity>(partition, StoreDayCounters.AnswerRowKey(id), CancellationToken.None)
            : null;
    }

    /// <summary>Every stored answer row (not the counters) of a store-day.</summary>
    public static async Task<List<TableEntity>> AnswerRowsAsync(this AppFixture app, string storeId, DateOnly day)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in app.Storage().Table(TableNames.Feedback).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {new StoreDay(storeId, day).Key}")))
        {
            if (row.RowKey.StartsWith("f.", StringComparison.Ordinal))
            {
                rows.Add(row);
            }
        }

        return rows;
    }
}
