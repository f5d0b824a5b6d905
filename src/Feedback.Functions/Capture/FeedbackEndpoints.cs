using Feedback.Functions.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Capture;

public static class FeedbackEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxBatchItems = 100;
    private const int MaxBatchBytes = MaxBatchItems * MaxBodyBytes;

    public static IEndpointRouteBuilder MapFeedbackEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/feedback", SubmitAsync).WithName("SubmitFeedback");
        app.MapPost("/api/feedback/batch", SubmitBatchAsync).WithName("SubmitFeedbackBatch");
        app.MapGet("/api/feedback/{statusId}", GetStatusAsync).WithName("GetFeedbackStatus");
        return app;
    }

    public static async Task<Results<Accepted<FeedbackAccepted>, ProblemHttpResult, ValidationProblem>> SubmitAsync(
        HttpContext context, CaptureService capture, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<FeedbackRequest>(context.Request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        CaptureOutcome outcome;
        if (context.Request.Headers.TryGetValue(ApiHeaders.DeviceKey, out var deviceKey))
        {
            var device = await capture.AuthenticateDeviceAsync(deviceKey, cancellationToken);
            if (device is null)
            {
                return Problems.Unauthorized("The device key is not valid or has been revoked.");
            }

            outcome = await capture.SubmitWithDeviceAsync(body!, device, cancellationToken);
        }
        else
        {
            outcome = await capture.SubmitWithTokenAsync(body!, ClientIp(context), cancellationToken);
        }

        return outcome switch
        {
            { Accepted: { } accepted } => TypedResults.Accepted(accepted.StatusUrl, accepted),
            { Invalid: { } invalid } => invalid.Problem(),
            _ => outcome.Refused!.Problem(context),
        };
    }

    public static async Task<Results<Ok<BatchResult>, ProblemHttpResult, ValidationProblem>> SubmitBatchAsync(
        HttpContext context, CaptureService capture, CancellationToken cancellationToken)
    {
        var device = await capture.AuthenticateDeviceAsync(context.Request.Headers[ApiHeaders.DeviceKey], cancellationToken);
        if (device is null)
        {
            return Problems.Unauthorized($"Batches need a valid {ApiHeaders.DeviceKey}.");
        }

        var (body, problem) = await JsonBody.ReadAsync<BatchRequest>(context.Request, MaxBatchBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (capture.LimitDevice(device) is { Refused.RetryAfter: { } wait })
        {
            return Problems.TooManyRequests(context, wait, "Too many uploads from this device; try again shortly.");
        }

        if (body!.Items is not { Length: >= 1 and <= MaxBatchItems } items)
        {
            return new Validator().Check(false, "items", $"Required: 1–{MaxBatchItems} answers.").Problem();
        }

        var results = new List<BatchItemResult>(items.Length);
        foreach (var element in items)
        {
            // Each item is read on its own, so one wrong-typed value rejects that item only.
            var (item, errors) = JsonBody.Read<FeedbackRequest>(element);
            if (item is null)
            {
                results.Add(new BatchItemResult(IdOf(element), "rejected", null, errors));
                continue;
            }

            var outcome = await capture.SubmitWithDeviceAsync(item, device, cancellationToken, rateLimited: false);
            results.Add(outcome.Accepted is { } accepted
                ? new BatchItemResult(accepted.Id, "accepted", accepted.StatusUrl, null)
                : new BatchItemResult(item.Id, "rejected", null,
                    outcome.Invalid?.Errors ?? new Dictionary<string, string[]> { ["item"] = [outcome.Refused!.Detail] }));
        }

        return TypedResults.Ok(new BatchResult(results));
    }

    public static async Task<Results<Ok<FeedbackStatusView>, ProblemHttpResult>> GetStatusAsync(
        string statusId, StatusLinks links, FeedbackStatusReader reader, CancellationToken cancellationToken) =>
        links.TryRead(statusId, out var day, out var id)
            ? TypedResults.Ok(await reader.ReadAsync(day, id, cancellationToken))
            : Problems.NotFound("There is no such answer.");

    private static string? IdOf(System.Text.Json.JsonElement item) =>
        item.ValueKind == System.Text.Json.JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String
            ? id.GetString()
            : null;

    /// <summary>The client's address, after the forwarded headers of trusted proxies (<see cref="ClientAddresses"/>).</summary>
    private static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
