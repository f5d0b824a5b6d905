using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.Capture;
using Feedback.Functions.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Privacy;

/// <summary>The body of POST /api/privacy/erase and /api/privacy/export: the customer's email, phone, or both.</summary>
public sealed record PersonalDataRequest(string? Email, string? Phone);

public sealed record ErasedView(int Erased);

/// <summary>A customer's rights over their contact details: what is held about them, and its erasure (admin only).</summary>
public static class PrivacyEndpoints
{
    private const int MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder app)
    {
        var privacy = app.MapGroup("/api/privacy").RequireAdminKey();
        privacy.MapPost("/erase", EraseAsync).WithName("ErasePersonalData");
        privacy.MapPost("/export", ExportAsync).WithName("ExportPersonalData");
        return app;
    }

    public static async Task<Results<Ok<ErasedView>, ValidationProblem, ProblemHttpResult>> EraseAsync(
        HttpRequest request, PersonalData data, ILogger<PersonalData> logger, CancellationToken cancellationToken)
    {
        var (contact, problem, invalid) = await ReadAsync(request, cancellationToken);
        if (contact is null)
        {
            return problem is not null ? problem : invalid!;
        }

        var erased = await data.EraseAsync(contact, cancellationToken);
        logger.LogInformation("Contact erased from {Records} records", erased);
        return TypedResults.Ok(new ErasedView(erased));
    }

    public static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> ExportAsync(
        HttpRequest request, PersonalData data, CancellationToken cancellationToken)
    {
        var (contact, problem, invalid) = await ReadAsync(request, cancellationToken);
        if (contact is null)
        {
            return problem is not null ? problem : invalid!;
        }

        return TypedResults.Ok(await data.ExportAsync(contact, cancellationToken));
    }

    private static async Task<(Contact? Contact, ProblemHttpResult? Problem, ValidationProblem? Invalid)> ReadAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PersonalDataRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return (null, problem, null);
        }

        var v = new Validator().Check((body!.Email ?? body.Phone) is not null, "email", "Required: the email, the phone, or both.");
        FeedbackValidation.CheckContact(v, body.Email, body.Phone);
        return v.IsValid ? (new Contact(body.Email, body.Phone), null, null) : (null, null, v.Problem());
    }
}
