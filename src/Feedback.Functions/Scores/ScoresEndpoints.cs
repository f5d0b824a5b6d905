using Feedback.Functions.AccessKeys;
using Feedback.Functions.Answers;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Http;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Scores;

/// <summary>Scores with their margins of error, by store, region and chain; and a store ranking that never ranks on noise.</summary>
public static class ScoresEndpoints
{
    public const int MaxRangeDays = 400;

    public static IEndpointRouteBuilder MapScoresEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/scores", GetSeriesAsync).WithName("GetScores").RequireAccessKey(AccessTarget.ScopeQuery);
        app.MapGet("/api/scores/breakdown", GetBreakdownAsync).WithName("GetScoreBreakdown").RequireAccessKey(AccessTarget.ScopeQuery);
        app.MapGet("/api/scores/stores", GetStoresAsync).WithName("GetStoreScores").RequireAccessKey();
        app.MapPost("/api/scores/rebuild", RebuildAsync).WithName("RebuildScores").RequireAdminKey();
        return app.MapBreakdownEndpoints();
    }

    /// <summary>The query of GET /api/scores; each field is checked below and named in a 400 when wrong.</summary>
    public sealed record SeriesQuery(string? Scope, string? Period, string? From, string? To, string? Touchpoint, string? Rewarded);

    public static async Task<Results<Ok<ScoreSeries>, ValidationProblem, ProblemHttpResult>> GetSeriesAsync(
        [AsParameters] SeriesQuery query, ScoreReader reader, ScoreAggregator aggregator, StoreCache stores, CaseStore cases, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (scope, period, from, to, touchpoint, rewarded) = query;
        var v = new Validator();
        var partition = ParseScope(scope, v);
        var kind = ParsePeriod(period, v);
        var first = ParseDate(from, "from", v);
        var last = ParseDate(to, "to", v);
        var (tp, rew) = ParseFilters(touchpoint, rewarded, v);
        if (first is { } f && last is { } l)
        {
            v.Check(f <= l, "to", "Must not be before 'from'.");
            v.Check(l.DayNumber - f.DayNumber < MaxRangeDays, "to", $"A range covers at most {MaxRangeDays} days.");
        }

        if (!v.IsValid)
        {
            return v.Problem();
        }

        var (store, notFound) = await StoreOfAsync(scope!, stores, cancellationToken);
        if (notFound is not null)
        {
            return notFound;
        }

        var series = await reader.SeriesAsync(partition!, kind!.Value, first!.Value, last!.Value, tp, rew, cancellationToken);
        var loop = store is null ? null : await cases.SummarizeAsync(store, first!.Value, last!.Value, clock.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new ScoreSeries(scope!, period!, await aggregator.LastRunAsync(cancellationToken), series, loop));
    }

    /// <summary>One period of a scope split by touchpoint and into rewarded and unrewarded answers.</summary>
    public static async Task<Results<Ok<ScoreBreakdownView>, ValidationProblem, ProblemHttpResult>> GetBreakdownAsync(
        string? scope, string? period, string? date, ScoreReader reader, ScoreAggregator aggregator, StoreCache stores, CancellationToken cancellationToken)
    {
        var v = new Validator();
        var partition = ParseScope(scope, v);
        var kind = ParsePeriod(period, v);
        var day = ParseDate(date, "date", v);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if ((await StoreOfAsync(scope!, stores, cancellationToken)).NotFound is { } notFound)
        {
            return notFound;
        }

        var breakdown = await reader.BreakdownAsync(partition!, kind!.Value, day!.Value, cancellationToken);
        return TypedResults.Ok(new ScoreBreakdownView(scope!, period!, await aggregator.LastRunAsync(cancellationToken), breakdown));
    }

    /// <summary>Every store the credential covers (an access key sees its own store or region), ranked among themselves.</summary>
    public static async Task<Results<Ok<StoreRanking>, ValidationProblem>> GetStoresAsync(
        string? period, string? date, string? touchpoint, string? rewarded, HttpContext context,
        ScoreReader reader, ScoreAggregator aggregator, StorageAccount storage, CancellationToken cancellationToken)
    {
        var v = new Validator();
        var kind = ParsePeriod(period, v);
        var day = ParseDate(date, "date", v);
        var (tp, rew) = ParseFilters(touchpoint, rewarded, v);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var access = Access.Of(context);
        var stores = new List<(string Id, string Name, string Region)>();
        await foreach (var s in storage.Table(TableNames.Stores).QueryAsync<StoreEntity>(select: ["PartitionKey", "Name", "Region"], cancellationToken: cancellationToken))
        {
            if (access.Covers(s.PartitionKey, s.Region))
            {
                stores.Add((s.PartitionKey, s.Name, s.Region));
            }
        }

        var points = new StoreScore[stores.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, stores.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var point = await reader.PointAsync(Scope.Store(stores[i].Id), kind!.Value, day!.Value, tp, rew, ct);
            points[i] = new StoreScore(stores[i].Id, stores[i].Name, stores[i].Region, null, point);
        });

        return TypedResults.Ok(new StoreRanking(period!, Periods.KeyFor(kind!.Value, day!.Value), await aggregator.LastRunAsync(cancellationToken), Rank(points)));
    }

    public sealed record RebuildScheduled(string Status);

    /// <summary>A rebuild reads every counter, so the next AggregateScores run does it rather than this request.</summary>
    public static async Task<Accepted<RebuildScheduled>> RebuildAsync(ScoreAggregator aggregator, CancellationToken cancellationToken)
    {
        await aggregator.RequestRebuildAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, new RebuildScheduled("scheduled"));
    }

    /// <summary>
    /// Orders stores by NPS and ranks them, but a store whose interval overlaps the one above it
    /// shares that store's rank: the data cannot tell them apart. Stores without answers get no rank.
    /// </summary>
    public static IReadOnlyList<StoreScore> Rank(IEnumerable<StoreScore> stores)
    {
        var scored = stores.Where(s => s.Score.Nps is not null)
            .OrderByDescending(s => s.Score.Nps).ThenByDescending(s => s.Score.N).ThenBy(s => s.StoreId, StringComparer.Ordinal).ToList();
        var ranked = new List<StoreScore>(scored.Count);
        for (var i = 0; i < scored.Count; i++)
        {
            var separate = i == 0 || scored[i].Score.Interval![1] < ranked[i - 1].Score.Interval![0];
            ranked.Add(scored[i] with { Rank = separate ? i + 1 : ranked[i - 1].Rank });
        }

        return [.. ranked, .. stores.Where(s => s.Score.Nps is null).OrderBy(s => s.StoreId, StringComparer.Ordinal)];
    }

    /// <summary>The rollup partition of a scope as the query spells it (<see cref="AccessScope"/>: chain, region:{id}, store:{id}).</summary>
    internal static string? ParseScope(string? scope, Validator v)
    {
        if (AccessScope.TryParse(scope, out var parsed))
        {
            return parsed.Kind switch
            {
                AccessScope.StoreKind => Scope.Store(parsed.Id!),
                AccessScope.RegionKind => Scope.Region(parsed.Id!),
                _ => Scope.Chain,
            };
        }

        v.Add("scope", "Required: chain, region:{region} or store:{storeId}.");
        return null;
    }

    /// <summary>The store a valid store scope names, or a 404 when there is none; neither for a region or the chain.</summary>
    internal static async Task<(Store? Store, ProblemHttpResult? NotFound)> StoreOfAsync(string scope, StoreCache stores, CancellationToken cancellationToken)
    {
        if (!scope.StartsWith("store:", StringComparison.Ordinal))
        {
            return (null, null);
        }

        var store = await stores.GetAsync(scope[6..], cancellationToken);
        return (store, store is null ? Problems.NotFound($"There is no store '{scope[6..]}'.") : null);
    }

    internal static PeriodKind? ParsePeriod(string? period, Validator v)
    {
        PeriodKind? kind = period switch
        {
            "day" => PeriodKind.Day,
            "week" => PeriodKind.Week,
            "month" => PeriodKind.Month,
            "trailing28" => PeriodKind.Trailing28,
            _ => null,
        };
        v.Check(kind is not null, "period", "Required: day, week, month or trailing28.");
        return kind;
    }

    internal static DateOnly? ParseDate(string? value, string field, Validator v)
    {
        if (StoreDay.TryParseDate(value, out var date))
        {
            return date;
        }

        v.Add(field, "Required. " + StoreDay.DateRule);
        return null;
    }

    private static (string Touchpoint, bool? Rewarded) ParseFilters(string? touchpoint, string? rewarded, Validator v)
    {
        v.Check(touchpoint is null || Touchpoints.TryParse(touchpoint, out _), "touchpoint", "One of store, kiosk, web, app, callcenter, chatbot, delivery.");
        v.Check(rewarded is null or "true" or "false", "rewarded", "true or false.");
        return (touchpoint ?? RollupRow.AllTouchpoints, rewarded is null ? null : rewarded == "true");
    }
}
