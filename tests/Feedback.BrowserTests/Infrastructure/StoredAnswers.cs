using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.BrowserTests.Infrastructure;

/// <summary>One stored answer row, as ProcessFeedback wrote it, by the id its client sent.</summary>
public sealed record StoredAnswer(string Id, int Score, int? Csat, string? Comment, string? Reasons, string? Touchpoint, string? Language, string? Segments = null);

/// <summary>Reads what reached storage: the answers and the counted total of a store's day.</summary>
public static class StoredAnswers
{
    public static async Task<IReadOnlyList<StoredAnswer>> ListAsync(this BrowserFixture app, string storeId)
    {
        var table = app.Services.GetRequiredService<StorageAccount>().Table(TableNames.Feedback);
        var partition = new StoreDay(storeId, StoreDay.LocalDate(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Prague"))).Key;
        var answers = new List<StoredAnswer>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}")))
        {
            if (row.RowKey.StartsWith("f.", StringComparison.Ordinal))
            {
                answers.Add(new StoredAnswer(Ids.ClientAnswerId(row.RowKey[2..]), row.GetInt32("Score") ?? -1, row.GetInt32("Csat"), row.GetString("Comment"),
                    row.GetString("Reasons"), row.GetString("Touchpoint"), row.GetString("Language"), row.GetString("Segments")));
            }
        }

        return answers;
    }

    /// <summary>Waits until at least <paramref name="count"/> answers are stored, then until the queue is drained, and returns them all.</summary>
    public static async Task<IReadOnlyList<StoredAnswer>> WaitForAsync(this BrowserFixture app, string storeId, int count)
    {
        await Eventually.Value(() => app.ListAsync(storeId), list => list.Count >= count, TimeSpan.FromSeconds(30));
        var queue = app.Services.GetRequiredService<StorageAccount>().Queue(QueueNames.FeedbackSubmitted);
        await Eventually.Value(() => queue.GetApproximateMessagesCountAsync(), n => n == 0, TimeSpan.FromSeconds(30));
        return await app.ListAsync(storeId);
    }

    public static async Task<long> CountedAsync(this BrowserFixture app, string storeId)
    {
        var table = app.Services.GetRequiredService<StorageAccount>().Table(TableNames.Feedback);
        var partition = new StoreDay(storeId, StoreDay.LocalDate(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Prague"))).Key;
        long answered = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}")))
        {
            if (row.RowKey.StartsWith("c.", StringComparison.Ordinal))
            {
                answered += row.GetInt64("Answered") ?? 0;
            }
        }

        return answered;
    }
}
