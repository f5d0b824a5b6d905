using Feedback.Functions.Hosting;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Webhooks;

/// <summary>
/// Queue trigger on webhook-deliveries: one attempt of one delivery. Failed attempts are retried on
/// the configured schedule by queueing the next attempt with a visibility delay (the queue's own
/// retry is only for storage failures); after the last attempt the payload goes to the dead letters.
/// Each attempt is claimed on the record's ETag first, so duplicate messages never send twice.
/// </summary>
public sealed class DeliverWebhookFunction(
    WebhookDeliveries deliveries,
    WebhookSubscriptions subscriptions,
    WebhookSender sender,
    WebhookOptions options,
    TimeProvider clock,
    ILogger<DeliverWebhookFunction> logger) : IQueueFunction
{
    public const string Name = "DeliverWebhook";

    public async Task RunAsync(QueueTrigger trigger, CancellationToken cancellationToken)
    {
        var request = MessageQueue.Read<WebhookDeliveryRequested>(trigger.Text);
        var delivery = await deliveries.GetAsync(request.WebhookId, cancellationToken);
        if (delivery is null || delivery.Status != WebhookDelivery.Pending || !IsCurrent(delivery, request, trigger))
        {
            logger.LogInformation("Webhook {WebhookId} attempt {Attempt}: nothing to do ({Status}, {Attempts} attempts made)",
                request.WebhookId, request.Attempt, delivery?.Status ?? "unknown", delivery?.Attempts);
            return;
        }

        var now = clock.GetUtcNow();
        var claimed = await deliveries.TryUpdateAsync(
            delivery with { Attempts = request.Attempt, TotalAttempts = delivery.TotalAttempts + 1, LastAttemptAt = now }, cancellationToken);
        if (claimed is null)
        {
            logger.LogInformation("Webhook {WebhookId} attempt {Attempt} was claimed by another message", request.WebhookId, request.Attempt);
            return;
        }

        var subscription = await subscriptions.GetAsync(claimed.Target, cancellationToken);
        var result = subscription is null
            ? new DeliveryResult(false, null, "The subscription was removed.")
            : await sender.SendAsync(subscription, claimed.Id, claimed.Payload, cancellationToken);
        var attempted = claimed with { LastStatusCode = result.StatusCode, LastError = result.Error };

        if (result.Delivered)
        {
            await SaveAsync(attempted with { Status = WebhookDelivery.Delivered, DeliveredAt = clock.GetUtcNow(), LastError = null }, cancellationToken);
            logger.LogInformation("Webhook {WebhookId} delivered on attempt {Attempt} ({StatusCode})", claimed.Id, request.Attempt, result.StatusCode);
        }
        else if (request.Attempt < options.MaxAttempts && subscription is not null)
        {
            var delay = options.RetryDelays[request.Attempt - 1];
            await SaveAsync(attempted, cancellationToken);
            await deliveries.ScheduleAsync(claimed.Id, request.Attempt + 1, delay, cancellationToken);
            FeedbackMetrics.WebhookFailed(deadLettered: false);
            logger.LogWarning("Webhook {WebhookId} attempt {Attempt} failed: {Error}; next attempt in {Delay}",
                claimed.Id, request.Attempt, result.Error, delay);
        }
        else
        {
            await deliveries.AddDeadLetterAsync(attempted, subscription?.Url, clock.GetUtcNow(), cancellationToken);
            await SaveAsync(attempted with { Status = WebhookDelivery.DeadLettered, DeadLetteredAt = clock.GetUtcNow() }, cancellationToken);
            FeedbackMetrics.WebhookFailed(deadLettered: true);
            logger.LogError("Webhook {WebhookId} dead-lettered after {Attempt} attempts: {Error}", claimed.Id, request.Attempt, result.Error);
        }
    }

    /// <summary>
    /// A message for an attempt already made is a duplicate, unless it is this very message coming back
    /// after its handler failed part-way (dequeue count above 1): then the attempt is made again, under
    /// the same webhook-id, which receivers use to drop repeats.
    /// </summary>
    private static bool IsCurrent(WebhookDelivery delivery, WebhookDeliveryRequested request, QueueTrigger trigger) =>
        delivery.Attempts < request.Attempt || (delivery.Attempts == request.Attempt && trigger.DequeueCount > 1);

    private async Task SaveAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        // Only this handler changes a delivery between its claim and here (replay needs a dead letter).
        if (await deliveries.TryUpdateAsync(delivery, cancellationToken) is null)
        {
            throw new InvalidOperationException($"Delivery {delivery.Id} changed while attempt {delivery.Attempts} was running.");
        }
    }
}
