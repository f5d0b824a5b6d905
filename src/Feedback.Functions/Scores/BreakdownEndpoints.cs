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
        var questions = (await definitions.GetAsync(cancellationToken)).Questions;
        var question = questions.FirstOrDefault(q => q.Key == segment);
        return await ReadPeriodAsync(query, reader, stores, v => v.Check(question is not null, "segment", questions.Count == 0
            ? "No segment questions are set up (PUT /api/segments)."
            : $"Required: one of {string.Join(", ", questions.Select(q => q.Key))}."), async (selected, row) =>
        {
            var total = row.Get();
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
            return new SegmentScores(
                query.Scope!, query.Period!, selected.Key, question.Key!, await aggregator.LastRunAsync(cancellationToken),
                total.NpsAnswers, Math.Max(0, total.NpsAnswers - scores.Sum(s => s.N)), scores);
        }, cancellationToken);
    }

    public static Task<Results<Ok<DriverScores>, ValidationProblem, ProblemHttpResult>> GetDriversAsync(
        [AsParameters] PeriodQuery query, ScoreReader reader, ScoreAggregator aggregator, StoreCache stores, CancellationToken cancellationToken) =>
        ReadPeriodAsync(query, reader, stores, null, async (selected, row) =>
        {
            var counts = row.Get().Breakdown;
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
            return new DriverScores(
                query.Scope!, query.Period!, selected.Key, await aggregator.LastRunAsync(cancellationToken), detractors, promoters, reasons);
        }, cancellationToken);

    public static Task<Results<Ok<JourneyScores>, ValidationProblem, ProblemHttpResult>> GetJourneysAsync(
        [AsParameters] PeriodQuery query, ScoreReader reader, ScoreAggregator aggregator, StoreCache stores, CancellationToken cancellationToken) =>
        ReadPeriodAsync(query, reader, stores, null, async (selected, row) =>
        {
            var steps = Touchpoints.All.Select(t => (Name: t.ToWire(), Counts: row.Get(t.ToWire()).Breakdown))
                .Select(t => (t.Name, N: t.Counts[BreakdownNames.JourneySteps], Satisfied: t.Counts[BreakdownNames.JourneyStepsSatisfied]))
                .Where(t => t.N > 0)
                .Select(t => new JourneyStep(t.Name, t.N, t.Satisfied, BreakdownMath.Share(t.Satisfied, t.N)!))
                .ToList();
            var all = row.Get().Breakdown;
            var journeys = all[BreakdownNames.Journeys];
            var satisfied = journeys - all[BreakdownNames.JourneysBroken];
            var weakest = steps.OrderBy(s => s.Share.Share).ThenByDescending(s => s.N).FirstOrDefault();
            return new JourneyScores(
                query.Scope!, query.Period!, selected.Key, await aggregator.LastRunAsync(cancellationToken), steps,
                BreakdownMath.Product([.. steps.Select(s => (s.Satisfied, s.N))]), "delta",
                new JourneysObserved(journeys, satisfied, BreakdownMath.Share(satisfied, journeys)),
                weakest?.Touchpoint,
                weakest is not null && steps.Count > 1 && steps.All(s => s == weakest || weakest.Share.High < s.Share.Low));
        }, cancellationToken);

    /// <summary>
    /// What every figure here starts with: the query checked (with the handler's own <paramref name="check"/>), an unknown
    /// store refused, then the one period's counts read and handed to <paramref name="answer"/>.
    /// </summary>
    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ReadPeriodAsync<T>(
        PeriodQuery query, ScoreReader reader, StoreCache stores, Action<Validator>? check, Func<Selected, RollupRow, Task<T>> answer,
        CancellationToken cancellationToken)
    {
        var v = new Validator();
        var partition = ScoresEndpoints.ParseScope(query.Scope, v);
        var kind = ScoresEndpoints.ParsePeriod(query.Period, v);
        var date = ScoresEndpoints.ParseDate(query.Date, "date", v);
        check?.Invoke(v);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if ((await ScoresEndpoints.StoreOfAsync(query.Scope!, stores, cancellationToken)).NotFound is { } notFound)
        {
            return notFound;
        }

        var selected = new Selected(partition!, kind!.Value, date!.Value);
        return TypedResults.Ok(await answer(selected, await reader.PeriodAsync(selected.Partition, selected.Kind, selected.Date, cancellationToken)));
    }
}
