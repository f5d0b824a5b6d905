using System.Text.Json;

namespace Feedback.Functions.Webhooks;

/// <summary>
/// Turns an event into one delivery per interested subscription and queues the first attempt. Safe to
/// call again for the same event: the delivery ids are derived from the event, so a repeat finds the
/// existing deliveries and only re-queues one that never got its first attempt.
/// </summary>
public sealed class WebhookPublisher(
    WebhookSubscriptions subscriptions, WebhookDeliveries deliveries, TimeProvider clock, ILogger<WebhookPublisher> logger)
{
    /// <param name="subject">What the event is about, unique per event type: a case id, a store and window.</param>
    public async Task PublishAsync(
        string storeId, string eventType, string subject, object data, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(new WebhookEnvelope(eventType, occurredAt, data), WebhookEvents.Json);
        foreach (var subscription in await subscriptions.ForStoreAsync(storeId, eventType, cancellationToken))
        {
            var (created, delivery) = await deliveries.CreateAsync(
                WebhookDelivery.New(subscription.Key, eventType, storeId, subject, payload, clock.GetUtcNow()), cancellationToken);
            if (created || delivery is { Status: WebhookDelivery.Pending, Attempts: 0 })
            {
                await deliveries.ScheduleAsync(delivery.Id, 1, TimeSpan.Zero, cancellationToken);
                logger.LogInformation("Webhook {WebhookId} ({EventType}) for {Target} queued", delivery.Id, eventType, subscription.Key);
            }
        }
    }
}
