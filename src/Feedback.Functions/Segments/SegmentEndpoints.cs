using Feedback.Functions.AccessKeys;
using Feedback.Functions.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Segments;

/// <summary>Admin API (GET also with an access key) of the chain's segment questions (the survey and kiosk ask them after the NPS question).</summary>
public static class SegmentEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapSegmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/segments", PutAsync).WithName("PutSegments").RequireAdminKey();
        // Any access key may read the questions (the survey shows them to every customer): the dashboard labels its segment panel with them.
        app.MapGet("/api/segments", GetAsync).WithName("GetSegments").RequireAccessKey();
        return app;
    }

    public static async Task<Results<Ok<SegmentsView>, ValidationProblem, ProblemHttpResult>> PutAsync(
        HttpRequest request, SegmentDefinitions definitions, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<SegmentsRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var v = SegmentRules.Validate(body!);
        v.Check(!v.IsValid || SegmentDefinitions.Serialize(body!.Questions!).Length <= SegmentDefinitions.MaxStoredChars, "questions",
            $"Too long in all: the questions with their titles must fit {SegmentDefinitions.MaxStoredChars} characters as stored; shorten the titles.");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        return TypedResults.Ok(await definitions.PutAsync(body!.Questions!, cancellationToken));
    }

    public static async Task<Ok<SegmentsView>> GetAsync(SegmentDefinitions definitions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await definitions.GetAsync(cancellationToken));
}
