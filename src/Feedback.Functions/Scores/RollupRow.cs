using System.Runtime.CompilerServices;
using Feedback.Functions.Capture;
using Azure.Data.Tables;

namespace Feedback.Functions.Scores;

/// <summary>
/// Counts of one scope and period, split the ways the scores API can filter: every touchpoint and
/// all of them, each for all answers (<c>a</c>) and for the rewarded ones (<c>r</c>). Unrewarded
/// figures are all minus rewarded. Stored as columns <c>{a|r}_{touchpoint|all}_{field}</c>.
/// </summary>
public sealed class RollupRow
{
    public const string AllTouchpoints = "all";

    private static readonly string[] Fields = ["P", "Pa", "D", "Ct2", "Cc", "Es", "Ec"];

    public static readonly IReadOnlyList<string> TouchpointNames =
        [AllTouchpoints, .. Enum.GetValues<Touchpoint>().Select(Touchpoints.ToWire)];

    private readonly Dictionary<(bool Rewarded, string Touchpoint), ScoreCounts> _counts = [];

    public ScoreCounts Get(string touchpoint = AllTouchpoints, bool? rewarded = null)
    {
        var all = _counts.GetValueOrDefault((false, touchpoint));
        var yes = _counts.GetValueOrDefault((true, touchpoint));
        return rewarded switch
        {
            null => all,
            true => yes,
            false => Subtract(all, yes),
        };
    }

    /// <summary>Adds counts under a touchpoint; they count under "all" too.</summary>
    public void Add(bool rewarded, string touchpoint, ScoreCounts counts)
    {
        AddOne(rewarded, touchpoint, counts);
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

    // Rollup rows have one column per rewarded × touchpoint × field, named at run time: no fixed typed
    // entity fits, so TableEntity stays, in this class only (callers see ITableEntity and RollupRow).
    public ITableEntity ToEntity(string partitionKey, string rowKey)
    {
        var entity = new TableEntity(partitionKey, rowKey);
        foreach (var ((rewarded, touchpoint), c) in _counts)
        {
            long[] values = [c.Promoters, c.Passives, c.Detractors, c.CsatTop2, c.CsatCount, c.CesSum, c.CesCount];
            for (var i = 0; i < Fields.Length; i++)
            {
                if (values[i] != 0)
                {
                    entity[Column(rewarded, touchpoint, Fields[i])] = values[i];
                }
            }
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
                long Read(string field) => entity.GetInt64(Column(rewarded, touchpoint, field)) ?? 0;
                var counts = new ScoreCounts
                {
                    Promoters = Read("P"),
                    Passives = Read("Pa"),
                    Detractors = Read("D"),
                    CsatTop2 = Read("Ct2"),
                    CsatCount = Read("Cc"),
                    CesSum = Read("Es"),
                    CesCount = Read("Ec"),
                };
                if (counts != default)
                {
                    row._counts[(rewarded, touchpoint)] = counts;
                }
            }
        }

        return row;
    }

    private void AddOne(bool rewarded, string touchpoint, ScoreCounts counts) =>
        _counts[(rewarded, touchpoint)] = _counts.GetValueOrDefault((rewarded, touchpoint)) + counts;

    private static string Column(bool rewarded, string touchpoint, string field) => $"{(rewarded ? 'r' : 'a')}_{touchpoint}_{field}";

    private static ScoreCounts Subtract(ScoreCounts a, ScoreCounts b) => new()
    {
        Promoters = a.Promoters - b.Promoters,
        Passives = a.Passives - b.Passives,
        Detractors = a.Detractors - b.Detractors,
        CsatTop2 = a.CsatTop2 - b.CsatTop2,
        CsatCount = a.CsatCount - b.CsatCount,
        CesSum = a.CesSum - b.CesSum,
        CesCount = a.CesCount - b.CesCount,
    };
}
