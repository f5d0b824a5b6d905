using Feedback.Functions.AccessKeys;
using Feedback.Functions.Answers;
using Feedback.Functions.Http;
using Feedback.Functions.Segments;
using Feedback.Functions.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Scores;

/// <summary>
/// What to fix and for whom: NPS by segment option, driver reasons, journeys across touchpoints. Scope and period as
/// in GET /api/scores (one period, the one containing <c>date</c>); figures from the stored counts, unrounded.
/// </summary>
public static class BreakdownEndpoints
{
    public static IEndpointRouteBuilder MapBreakdownEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/scores/segments", GetSegmentsAsync).WithName("GetSegmentScores").RequireAccessKey(AccessTarget.ScopeQuery);
        app.MapGet("/api/scores/drivers", GetDriversAsync).WithName("GetDriverScores").RequireAccessKey(AccessTarget.ScopeQuery);
        app.MapGet("/api/journeys", GetJourneysAsync).WithName("GetJourneys").RequireAccessKey(AccessTarget.ScopeQuery);
        return app;
    }

    /// <summary>The query every figure here takes; each field is checked and named in a 400 when wrong.</summary>
    public sealed record PeriodQuery(string? Scope, string? Period, string? Date);

    private sealed record Selected(string Partition, PeriodKind Kind, DateOnly Date)
    {
        public string Key => Periods.KeyFor(Kind, Date);
    }

    public static async Task<Results<Ok<SegmentScores>, ValidationProblem, ProblemHttpResult>> GetSegmentsAsync(
        [AsParameters] PeriodQuery query, string? segment, ScoreReader reader, ScoreAggregator aggregator, StoreCache stores,
        SegmentDefinitions definitions, ScoreOptions options, CancellationToken cancellationToken)
    {
        var v = new Validator();
        var selected = Parse(query, v);
        var questions = (await definitions.GetAsync(cancellationToken)).Questions;
        var question = questions.FirstOrDefault(q => q.Key == segment);
        v.Check(question is not null, "segment", questions.Count == 0
            ? "No segment questions are set up (PUT /api/segments)."
            : $"Required: one of {string.Join(", ", questions.Select(q => q.Key))}.");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (await UnknownStoreAsync(query.Scope!, stores, cancellationToken) is { } notFound)
        {
            return notFound;
        }

        var total = (await reader.PeriodAsync(selected!.Partition, selected.Kind, selected.Date, cancellationToken)).Get();
        var scores = question!.Options!.Select(option =>
        {
            var group = new ScoreCounts
            {
                Promoters = total.Breakdown[BreakdownNames.Segment(question.Key!, option.Value!, NpsCategory.Promoter)],
                Passives = total.Breakdown[BreakdownNames.Segment(question.Key!, option.Value!, NpsCategory.Passive)],
                Detractors = total.Breakdown[BreakdownNames.Segment(question.Key!, option.Value!, NpsCategory.Detractor)],
            };
            var estimate = NpsMath.Estimate(group, options.LowConfidenceMargin);
            var vsRest = NpsMath.Change(group, total - group);
            return new SegmentOptionScore(
                option.Value!, option.Title!, group.NpsAnswers, group.Promoters, group.Passives, group.Detractors,
                estimate?.Nps, estimate is null ? null : [estimate.Low, estimate.High], estimate?.MarginOfError, estimate?.LowConfidence,
                vsRest is null ? null : new ChangeView(vsRest.Delta, vsRest.Z, vsRest.Significant), vsRest?.Significant == true);
        }).ToList();
        return TypedResults.Ok(new SegmentScores(
            query.Scope!, query.Period!, selected.Key, question.Key!, await aggregator.LastRunAsync(cancellationToken),
            total.NpsAnswers, Math.Max(0, total.NpsAnswers - scores.Sum(s => s.N)), scores));
    }

    public static async Task<Results<Ok<DriverScores>, ValidationProblem, ProblemHttpResult>> GetDriversAsync(
        [AsParameters] PeriodQuery query, ScoreReader reader, ScoreAggregator aggregator, StoreCache stores, CancellationToken cancellationToken)
    {
        var v = new Validator();
        var selected = Parse(query, v);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (await UnknownStoreAsync(query.Scope!, stores, cancellationToken) is { } notFound)
        {
            return notFound;
        }

        var counts = (await reader.PeriodAsync(selected!.Partition, selected.Kind, selected.Date, cancellationToken)).Get().Breakdown;
        var detractors = counts[BreakdownNames.ReasonsAnswered(NpsCategory.Detractor)];
        var promoters = counts[BreakdownNames.ReasonsAnswered(NpsCategory.Promoter)];
        var reasons = BreakdownNames.ReasonCodes.Select(reason =>
        {
            var byDetractors = counts[BreakdownNames.Reason(reason, NpsCategory.Detractor)];
            var byPromoters = counts[BreakdownNames.Reason(reason, NpsCategory.Promoter)];
            return new DriverScore(
                reason, byDetractors, BreakdownMath.Share(byDetractors, detractors), byPromoters, BreakdownMath.Share(byPromoters, promoters),
                BreakdownMath.Difference(byDetractors, detractors, byPromoters, promoters));
        })
            .OrderByDescending(d => d.Difference?.Difference ?? double.NegativeInfinity)
            .ThenBy(d => d.Reason, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new DriverScores(
            query.Scope!, query.Period!, selected.Key, await aggregator.LastRunAsync(cancellationToken), detractors, promoters, reasons));
    }

    public static async Task<Results<Ok<JourneyScores>, ValidationProblem, ProblemHttpResult>> GetJourneysAsync(
        [AsParameters] PeriodQuery query, ScoreReader reader, ScoreAggregator aggregator, StoreCache stores, CancellationToken cancellationToken)
    {
        var v = new Validator();
        var selected = Parse(query, v);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (await UnknownStoreAsync(query.Scope!, stores, cancellationToken) is { } notFound)
        {
            return notFound;
        }

        var row = await reader.PeriodAsync(selected!.Partition, selected.Kind, selected.Date, cancellationToken);
        var steps = Touchpoints.All.Select(t => (Name: t.ToWire(), Counts: row.Get(t.ToWire()).Breakdown))
            .Select(t => (t.Name, N: t.Counts[BreakdownNames.JourneySteps], Satisfied: t.Counts[BreakdownNames.JourneyStepsSatisfied]))
            .Where(t => t.N > 0)
            .Select(t => new JourneyStep(t.Name, t.N, t.Satisfied, BreakdownMath.Share(t.Satisfied, t.N)!))
            .ToList();
        var all = row.Get().Breakdown;
        var journeys = all[BreakdownNames.Journeys];
        var satisfied = journeys - all[BreakdownNames.JourneysBroken];
        var weakest = steps.OrderBy(s => s.Share.Share).ThenByDescending(s => s.N).FirstOrDefault();
        return TypedResults.Ok(new JourneyScores(
            query.Scope!, query.Period!, selected.Key, await aggregator.LastRunAsync(cancellationToken), steps,
            BreakdownMath.Product([.. steps.Select(s => (s.Satisfied, s.N))]), "delta",
            new JourneysObserved(journeys, satisfied, BreakdownMath.Share(satisfied, journeys)),
            weakest?.Touchpoint,
            weakest is not null && steps.Count > 1 && steps.All(s => s == weakest || weakest.Share.High < s.Share.Low)));
    }

    private static Selected? Parse(PeriodQuery query, Validator v)
    {
        var partition = ScoresEndpoints.ParseScope(query.Scope, v);
        var kind = ScoresEndpoints.ParsePeriod(query.Period, v);
        var date = ScoresEndpoints.ParseDate(query.Date, "date", v);
        return partition is null || kind is null || date is null ? null : new Selected(partition, kind.Value, date.Value);
    }

    private static async Task<ProblemHttpResult?> UnknownStoreAsync(string scope, StoreCache stores, CancellationToken cancellationToken) =>
        scope.StartsWith("store:", StringComparison.Ordinal) && await stores.GetAsync(scope[6..], cancellationToken) is null
            ? Problems.NotFound($"There is no store '{scope[6..]}'.")
            : null;
}
