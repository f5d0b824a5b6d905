using System.Globalization;
using Feedback.Functions.Answers;
using Feedback.Functions.Http;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Webhooks;

/// <summary>
/// Admin API for webhook subscriptions (per store, or chain-wide under the store id <c>*</c>), delivery
/// records, dead letters and their replay.
/// </summary>
public static class WebhookEndpoints
{
    private const int MaxBodyBytes = 8 * 1024;
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var stores = app.MapGroup("/api/stores/{storeId}").RequireAdminKey();
        stores.MapPut("/webhooks", PutAsync).WithName("PutWebhook");
        stores.MapGet("/webhooks", GetAsync).WithName("GetWebhook");
        stores.MapDelete("/webhooks", DeleteAsync).WithName("DeleteWebhook");

        var webhooks = app.MapGroup("/api/webhooks").RequireAdminKey();
        webhooks.MapGet("/deliveries/{webhookId}", GetDeliveryAsync).WithName("GetWebhookDelivery");
        webhooks.MapPost("/deliveries/{webhookId}/replay", ReplayAsync).WithName("ReplayWebhookDelivery");
        webhooks.MapGet("/deadletters", ListDeadLettersAsync).WithName("ListWebhookDeadLetters");
        return app;
    }

    public static async Task<Results<Created<WebhookView>, Ok<WebhookView>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string storeId, HttpRequest request, StoreDirectory directory, WebhookSubscriptions subscriptions, WebhookOptions options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<WebhookRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var v = new Validator()
            .Check(body!.Secret is null || WebhookSecret.TryParse(body.Secret, out _), "secret", "whsec_ followed by base64 of 24–64 random bytes; leave it out to have one generated.")
            .Check(body.Events is { Length: >= 1 } events && events.All(e => WebhookEvents.All.Contains(e)) && events.Distinct().Count() == events.Length,
                "events", $"Required: one or more of {string.Join(", ", WebhookEvents.All)}, each once.");
        if (await WebhookTargets.CheckAsync(body.Url, options.AllowPrivateTargets, cancellationToken) is { } refused)
        {
            v.Add("url", refused);
        }

        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (!await IsTargetAsync(storeId, directory, cancellationToken))
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        // A new subscription without a secret gets one, shown in this answer only; an update without one keeps the old.
        var existing = await subscriptions.GetAsync(storeId, cancellationToken);
        var generated = body.Secret is null && existing is null ? WebhookSecret.Generate() : null;
        var subscription = new WebhookSubscription(storeId, body.Url!, body.Secret ?? existing?.Secret ?? generated!, body.Events!, clock.GetUtcNow());
        var view = subscription.ToView() with { Secret = generated };
        return await subscriptions.PutAsync(subscription, cancellationToken)
            ? TypedResults.Created($"/api/stores/{storeId}/webhooks", view)
            : TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> GetAsync(
        string storeId, WebhookSubscriptions subscriptions, CancellationToken cancellationToken) =>
        IsTargetKey(storeId) && await subscriptions.GetAsync(storeId, cancellationToken) is { } subscription
            ? TypedResults.Ok(subscription.ToView())
            : Problems.NotFound($"Store '{storeId}' has no webhook.");

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string storeId, WebhookSubscriptions subscriptions, CancellationToken cancellationToken) =>
        IsTargetKey(storeId) && await subscriptions.DeleteAsync(storeId, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Store '{storeId}' has no webhook.");

    public static async Task<Results<Ok<WebhookDeliveryView>, ProblemHttpResult>> GetDeliveryAsync(
        string webhookId, WebhookDeliveries deliveries, CancellationToken cancellationToken) =>
        WebhookDelivery.IsId(webhookId) && await deliveries.GetAsync(webhookId, cancellationToken) is { } delivery
            ? TypedResults.Ok(delivery.ToView())
            : Problems.NotFound($"There is no webhook delivery '{webhookId}'.");

    /// <summary>Sends a dead-lettered delivery again, same webhook-id and payload, with a fresh round of attempts.</summary>
    public static async Task<Results<Accepted<WebhookDeliveryView>, ProblemHttpResult>> ReplayAsync(
        string webhookId, WebhookDeliveries deliveries, WebhookOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!WebhookDelivery.IsId(webhookId) || await deliveries.GetAsync(webhookId, cancellationToken) is not { } delivery)
        {
            return Problems.NotFound($"There is no webhook delivery '{webhookId}'.");
        }

        switch (delivery.Status)
        {
            case WebhookDelivery.Delivered:
                return Problems.Conflict("This webhook was delivered; a webhook-id is never delivered twice.");
            case WebhookDelivery.Pending when !delivery.IsStuck(clock.GetUtcNow(), options):
                return Problems.Conflict("This webhook is still being delivered.");
        }

        var replayed = await deliveries.TryUpdateAsync(
            delivery with { Status = WebhookDelivery.Pending, Attempts = 0, Replays = delivery.Replays + 1, DeadLetteredAt = null }, cancellationToken);
        if (replayed is null)
        {
            return Problems.Conflict("This webhook is being replayed already.");
        }

        await deliveries.ScheduleAsync(webhookId, 1, TimeSpan.Zero, cancellationToken);
        if (delivery.Status == WebhookDelivery.DeadLettered)
        {
            await deliveries.MarkReplayedAsync(replayed, clock.GetUtcNow(), cancellationToken);
        }

        return TypedResults.Accepted($"/api/webhooks/deliveries/{webhookId}", replayed.ToView());
    }

    public static async Task<Results<Ok<DeadLetterPage>, ValidationProblem>> ListDeadLettersAsync(
        string? storeId, string? pageSize, string? continuation, WebhookDeliveries deliveries, CancellationToken cancellationToken)
    {
        var size = DefaultPageSize;
        string? token = null;
        var v = new Validator()
            .Check(storeId is not null && IsTargetKey(storeId), "storeId", "Required: a store id, or * for the chain-wide webhook.")
            .Check(pageSize is null || (int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) && size is >= 1 and <= MaxPageSize),
                "pageSize", $"A whole number from 1 to {MaxPageSize}.")
            .Check(PageToken.TryDecode(continuation, out token), PageTokenRefusedException.Field, PageTokenRefusedException.Rule);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var (items, next) = await deliveries.ListDeadLettersAsync(storeId!, size, token, cancellationToken);
        return TypedResults.Ok(new DeadLetterPage(items, PageToken.Encode(next)));
    }

    private static bool IsTargetKey(string storeId) => storeId == WebhookEvents.ChainWide || Ids.IsStoreId(storeId);

    private static async Task<bool> IsTargetAsync(string storeId, StoreDirectory directory, CancellationToken cancellationToken) =>
        storeId == WebhookEvents.ChainWide || (Ids.IsStoreId(storeId) && await directory.GetStoreAsync(storeId, cancellationToken) is not null);
}
