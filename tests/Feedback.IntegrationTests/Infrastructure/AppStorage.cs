using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
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

    /// <summary>
    /// The stored row of the answer a client sent with <paramref name="id"/> to a store, on whichever store-day it
    /// was counted and under whichever source's scope (<see cref="Ids.StoredAnswerId"/>); null when there is none.
    /// </summary>
    public static async Task<TableEntity?> AnswerRowAsync(this AppFixture app, string storeId, string id) =>
        (await app.AnswerRowsByClientIdAsync(storeId, id)).SingleOrDefault();

    /// <summary>Every stored row of answers a client sent with <paramref name="id"/> to a store, whatever their source.</summary>
    public static async Task<List<TableEntity>> AnswerRowsByClientIdAsync(this AppFixture app, string storeId, string id)
    {
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {storeId + "."} and PartitionKey lt {storeId + "/"} and RowKey ge {"f."} and RowKey lt {"f/"}");
        await foreach (var row in app.Storage().Table(TableNames.Feedback).QueryAsync<TableEntity>(filter))
        {
            if (Ids.ClientAnswerId(row.RowKey[2..]) == id)
            {
                rows.Add(row);
            }
        }

        return rows;
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
