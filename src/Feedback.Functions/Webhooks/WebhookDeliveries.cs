using Azure;
using Feedback.Functions.Storage;
using Azure.Data.Tables;

namespace Feedback.Functions.Webhooks;

/// <summary>Delivery records, dead letters, and the queue that drives attempts.</summary>
public sealed class WebhookDeliveries(StorageAccount storage)
{
    private TableClient Deliveries => storage.Table(TableNames.WebhookDeliveries);

    private TableClient DeadLetters => storage.Table(TableNames.WebhookDeadLetters);

    public async Task<WebhookDelivery?> GetAsync(string webhookId, CancellationToken cancellationToken) =>
        await Deliveries.FindAsync<TableEntity>(webhookId, "", cancellationToken) is { } e ? WebhookDelivery.FromEntity(e) : null;

    /// <summary>Adds the delivery; when one with its id exists already, returns that one instead (and false).</summary>
    public async Task<(bool Created, WebhookDelivery Delivery)> CreateAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Deliveries.AddEntityAsync(delivery.ToEntity(), cancellationToken);
            return (true, delivery with { ETag = response.Headers.ETag.GetValueOrDefault() });
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (false, await GetAsync(delivery.Id, cancellationToken) ?? throw new InvalidOperationException($"Delivery {delivery.Id} vanished."));
        }
    }

    /// <summary>Replaces the record if nobody changed it since it was read; null when somebody did.</summary>
    public async Task<WebhookDelivery?> TryUpdateAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Deliveries.UpdateEntityAsync(delivery.ToEntity(), delivery.ETag, TableUpdateMode.Replace, cancellationToken);
            return delivery with { ETag = response.Headers.ETag.GetValueOrDefault() };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    /// <summary>Queues an attempt, visible after <paramref name="delay"/>.</summary>
    public async Task ScheduleAsync(string webhookId, int attempt, TimeSpan delay, CancellationToken cancellationToken)
    {
        var text = System.Text.Json.JsonSerializer.Serialize(new WebhookDeliveryRequested(webhookId, attempt), MessageQueue.Json);
        await storage.Queue(QueueNames.WebhookDeliveries).SendMessageAsync(text, delay, cancellationToken: cancellationToken);
    }

    /// <summary>Keeps the payload where an admin can find and replay it: PartitionKey = subscription key, RowKey = webhook id.</summary>
    public async Task AddDeadLetterAsync(WebhookDelivery delivery, string? url, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DeadLetters.UpsertEntityAsync(new TableEntity(delivery.Target, delivery.Id)
        {
            ["EventType"] = delivery.EventType,
            ["StoreId"] = delivery.StoreId,
            ["Url"] = url,
            ["Payload"] = delivery.Payload,
            ["Attempts"] = delivery.Attempts,
            ["LastStatusCode"] = delivery.LastStatusCode,
            ["LastError"] = delivery.LastError,
            ["DeadLetteredAt"] = now,
            ["ReplayedAt"] = null,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task MarkReplayedAsync(WebhookDelivery delivery, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DeadLetters.UpsertEntityAsync(new TableEntity(delivery.Target, delivery.Id) { ["ReplayedAt"] = now }, TableUpdateMode.Merge, cancellationToken);

    public async Task<(IReadOnlyList<DeadLetterView> Items, string? Continuation)> ListDeadLettersAsync(
        string target, int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        var query = DeadLetters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {target}"), pageSize, cancellationToken: cancellationToken);
        await foreach (var page in query.AsPages(continuation, pageSize))
        {
            return ([.. page.Values.Select(e => new DeadLetterView(
                e.RowKey, e.PartitionKey, e.GetString("EventType") ?? "", e.GetString("StoreId") ?? "", e.GetString("Url"),
                e.GetInt32("Attempts") ?? 0, e.GetInt32("LastStatusCode"), e.GetString("LastError"),
                e.GetDateTimeOffset("DeadLetteredAt") ?? default, e.GetDateTimeOffset("ReplayedAt"),
                System.Text.Json.JsonDocument.Parse(e.GetString("Payload") ?? "null").RootElement.Clone()))], page.ContinuationToken);
        }

        return ([], null);
    }
}
