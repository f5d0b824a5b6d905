using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Feedback.Functions.Answers;

namespace Feedback.Functions.Scores;

/// <summary>
/// Counts of one scope and period, split the ways the scores API can filter: every touchpoint and
/// all of them, each for all answers (<c>a</c>) and for the rewarded ones (<c>r</c>). Unrewarded
/// figures are all minus rewarded. Stored as columns <c>{a|r}_{touchpoint|all}_{field}</c>, a
/// table row with column names computed at run time, hence a <see cref="TableEntity"/> here.
/// </summary>
public sealed class RollupRow
{
    public const string AllTouchpoints = StoreDayCounters.AllTouchpoints;

    public static readonly IReadOnlyList<string> TouchpointNames =
        [AllTouchpoints, .. Touchpoints.All.Select(t => t.ToWire())];

    private readonly Dictionary<(bool Rewarded, string Touchpoint), ScoreCounts> _counts = [];

    public ScoreCounts Get(string touchpoint = AllTouchpoints, bool? rewarded = null)
    {
        var all = _counts.GetValueOrDefault((false, touchpoint));
        var yes = _counts.GetValueOrDefault((true, touchpoint));
        return rewarded switch
        {
            null => all,
            true => yes,
            false => all - yes,
        };
    }

    /// <summary>Adds counts under a touchpoint; they count under "all" too (once, for counts of no one touchpoint such as journeys).</summary>
    public void Add(bool rewarded, string touchpoint, ScoreCounts counts)
    {
        if (touchpoint != AllTouchpoints)
        {
            AddOne(rewarded, touchpoint, counts);
        }

        AddOne(rewarded, AllTouchpoints, counts);
    }

    public void Add(RollupRow other)
    {
        foreach (var (key, counts) in other._counts)
        {
            AddOne(key.Rewarded, key.Touchpoint, counts);
        }
    }

    public bool IsEmpty => _counts.Count == 0;

    public ITableEntity ToEntity(string partitionKey, string rowKey)
    {
        var entity = new TableEntity(partitionKey, rowKey);
        foreach (var ((rewarded, touchpoint), counts) in _counts)
        {
            counts.WriteTo(entity, Prefix(rewarded, touchpoint));
        }

        return entity;
    }

    /// <summary>The rollup rows a filter selects, with their row keys.</summary>
    public static async IAsyncEnumerable<(string RowKey, RollupRow Row)> QueryAsync(
        TableClient table, string filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return (entity.RowKey, FromEntity(entity));
        }
    }

    private static RollupRow FromEntity(TableEntity entity)
    {
        var row = new RollupRow();
        foreach (var rewarded in new[] { false, true })
        {
            foreach (var touchpoint in TouchpointNames)
            {
                if (ScoreCounts.ReadFrom(entity, Prefix(rewarded, touchpoint)) is var counts && counts != default)
                {
                    row._counts[(rewarded, touchpoint)] = counts;
                }
            }
        }

        return row;
    }

    private void AddOne(bool rewarded, string touchpoint, ScoreCounts counts) =>
        _counts[(rewarded, touchpoint)] = _counts.GetValueOrDefault((rewarded, touchpoint)) + counts;

    /// <summary>Rollup columns are <c>{a|r}_{touchpoint|all}_{short field name}</c> (<see cref="ScoreCounts.WriteTo"/>).</summary>
    private static string Prefix(bool rewarded, string touchpoint) => $"{(rewarded ? 'r' : 'a')}_{touchpoint}_";
}
