using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;

namespace Feedback.Functions.Comments;

/// <summary>A customer's comment as a store manager reads it: the text and when and how it came, never who wrote it.</summary>
public sealed record CommentView(DateTimeOffset SubmittedAt, int Score, string Touchpoint, string? Language, string Text);

public sealed record CommentList(string StoreId, DateOnly From, DateOnly To, IReadOnlyList<CommentView> Items);

/// <summary>
/// The latest comments of a store, newest first: the answer rows of its recent store-days (one partition query each,
/// a week of days at a time, newest week first), so it stops as soon as it has enough.
/// </summary>
public sealed class CommentReader(StorageAccount storage)
{
    private const int DaysPerRound = 7;

    public async Task<CommentList> LatestAsync(Store store, DateOnly to, int days, int limit, CancellationToken cancellationToken)
    {
        var feedback = storage.Table(TableNames.Feedback);
        var found = new List<CommentView>();
        for (var offset = 0; offset < days && found.Count < limit; offset += DaysPerRound)
        {
            var round = Enumerable.Range(offset, Math.Min(DaysPerRound, days - offset)).Select(i => new StoreDay(store.Id, to.AddDays(-i)));
            var perDay = await Task.WhenAll(round.Select(day => ReadDayAsync(feedback, day, cancellationToken)));
            found.AddRange(perDay.SelectMany(d => d));
        }

        return new CommentList(store.Id, to.AddDays(1 - days), to,
            [.. found.OrderByDescending(c => c.SubmittedAt).Take(limit)]);
    }

    private static async Task<List<CommentView>> ReadDayAsync(TableClient feedback, StoreDay day, CancellationToken cancellationToken)
    {
        var comments = new List<CommentView>();
        var filter = StoreDayCounters.AnswerRowsFilter(day.Key) + TableClient.CreateQueryFilter($" and Comment ne {""}");
        string[] columns = ["SubmittedAt", "Score", "Touchpoint", "Language", "Comment"];
        await foreach (var row in feedback.QueryAsync<AnswerEntity>(filter, select: columns, cancellationToken: cancellationToken))
        {
            if (!string.IsNullOrWhiteSpace(row.Comment))
            {
                comments.Add(new CommentView(row.SubmittedAt, row.Score, row.Touchpoint ?? "", row.Language, row.Comment));
            }
        }

        return comments;
    }
}
