using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Scores;

/// <summary>Reads series from the stored rollups: one range query per request (trailing windows are summed from days).</summary>
public sealed class ScoreReader(StorageAccount storage, ScoreAggregator aggregator, ScoreOptions options)
{
    private TableClient Rollups => storage.Table(TableNames.Rollups);

    /// <summary>The series of a scope for every period between two local dates, each with its change against the period before.</summary>
    public async Task<IReadOnlyList<ScorePoint>> SeriesAsync(
        string scope, PeriodKind kind, DateOnly from, DateOnly to, string touchpoint, bool? rewarded, CancellationToken cancellationToken)
    {
        if (kind == PeriodKind.Trailing28)
        {
            var days = await DaysAsync(scope, from.AddDays(-55), to, touchpoint, rewarded, cancellationToken);
            ScoreCounts Window(DateOnly end) => Enumerable.Range(0, 28).Aggregate(default(ScoreCounts), (sum, i) => sum + days.GetValueOrDefault(end.AddDays(-i)));
            return [.. Periods.KeysBetween(kind, from, to).Select(key =>
            {
                var end = Periods.RangeOf(kind, key).Last;
                return ScorePoint.From(key, Window(end), Window(end.AddDays(-28)), options.LowConfidenceMargin);
            })];
        }

        var keys = Periods.KeysBetween(kind, from, to);
        var first = Periods.Previous(kind, keys[0]);
        var name = ScoreAggregator.KindName(kind);
        var rows = await QueryAsync(scope, $"{name}.{first}", $"{name}.{keys[^1]}", cancellationToken);
        ScoreCounts Counts(string key) => rows.TryGetValue($"{name}.{key}", out var row) ? row.Get(touchpoint, rewarded) : default;
        return [.. keys.Select((key, i) => ScorePoint.From(key, Counts(key), Counts(i == 0 ? first : keys[i - 1]), options.LowConfidenceMargin))];
    }

    /// <summary>The one period of kind containing date, for a scope.</summary>
    public async Task<ScorePoint> PointAsync(string scope, PeriodKind kind, DateOnly date, string touchpoint, bool? rewarded, CancellationToken cancellationToken) =>
        (await SeriesAsync(scope, kind, date, date, touchpoint, rewarded, cancellationToken))[0];

    /// <summary>The counts of one period (of kind, containing date) of a scope, every touchpoint and the rewarded split kept.</summary>
    public Task<RollupRow> PeriodAsync(string scope, PeriodKind kind, DateOnly date, CancellationToken cancellationToken)
    {
        var key = Periods.KeyFor(kind, date);
        var range = Periods.RangeOf(kind, key);
        var (from, to) = kind == PeriodKind.Trailing28
            ? ($"day.{range.First:yyyy-MM-dd}", $"day.{range.Last:yyyy-MM-dd}")
            : ($"{ScoreAggregator.KindName(kind)}.{key}", $"{ScoreAggregator.KindName(kind)}.{key}");
        return aggregator.SumAsync(scope, from, to, cancellationToken);
    }

    /// <summary>
    /// The one period of kind containing date, split by touchpoint and into rewarded and unrewarded answers, each with its
    /// change against the period before: one range query for all of them.
    /// </summary>
    public async Task<ScoreBreakdown> BreakdownAsync(string scope, PeriodKind kind, DateOnly date, CancellationToken cancellationToken)
    {
        var key = Periods.KeyFor(kind, date);
        var range = Periods.RangeOf(kind, key);
        var previous = Periods.RangeOf(kind, Periods.Previous(kind, key));
        var days = await QueryAsync(scope, $"day.{previous.First:yyyy-MM-dd}", $"day.{range.Last:yyyy-MM-dd}", cancellationToken);
        RollupRow Within(DateRange r) => Sum(days.Where(d => DayOf(d.Key) >= r.First && DayOf(d.Key) <= r.Last).Select(d => d.Value));

        var (now, before) = (Within(range), Within(previous));
        ScorePoint Point(string touchpoint, bool? rewarded) =>
            ScorePoint.From(key, now.Get(touchpoint, rewarded), before.Get(touchpoint, rewarded), options.LowConfidenceMargin);
        return new ScoreBreakdown(
            Point(RollupRow.AllTouchpoints, null),
            [.. RollupRow.TouchpointNames.Skip(1).Select(t => new TouchpointScore(t, Point(t, null))).Where(t => t.Score.N > 0)],
            Point(RollupRow.AllTouchpoints, true),
            Point(RollupRow.AllTouchpoints, false));
    }

    private async Task<Dictionary<DateOnly, ScoreCounts>> DaysAsync(
        string scope, DateOnly from, DateOnly to, string touchpoint, bool? rewarded, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(scope, $"day.{from:yyyy-MM-dd}", $"day.{to:yyyy-MM-dd}", cancellationToken);
        return rows.ToDictionary(r => DayOf(r.Key), r => r.Value.Get(touchpoint, rewarded));
    }

    private static DateOnly DayOf(string dayRowKey) => DateOnly.ParseExact(dayRowKey[4..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static RollupRow Sum(IEnumerable<RollupRow> rows)
    {
        var sum = new RollupRow();
        foreach (var row in rows)
        {
            sum.Add(row);
        }

        return sum;
    }

    private async Task<Dictionary<string, RollupRow>> QueryAsync(string scope, string fromRowKey, string toRowKey, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, RollupRow>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {scope} and RowKey ge {fromRowKey} and RowKey le {toRowKey}");
        await foreach (var (rowKey, row) in RollupRow.QueryAsync(Rollups, filter, cancellationToken))
        {
            rows[rowKey] = row;
        }

        return rows;
    }
}
