using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Webhooks;

/// <summary>
/// Delivery records, dead letters, and the queue that drives attempts. Deliveries: PartitionKey = webhook id, RowKey "".
/// Dead letters: PartitionKey = subscription key, RowKey = webhook id.
/// </summary>
public sealed class WebhookDeliveries(StorageAccount storage)
{
    private TableClient Deliveries => storage.Table(TableNames.WebhookDeliveries);

    private TableClient DeadLetters => storage.Table(TableNames.WebhookDeadLetters);

    public async Task<WebhookDelivery?> GetAsync(string webhookId, CancellationToken cancellationToken) =>
        await Deliveries.FindAsync<WebhookDeliveryEntity>(webhookId, "", cancellationToken) is { } row ? ToDelivery(row) : null;

    /// <summary>Adds the delivery; when one with its id exists already, returns that one instead (and false).</summary>
    public async Task<(bool Created, WebhookDelivery Delivery)> CreateAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Deliveries.AddEntityAsync(ToEntity(delivery), cancellationToken);
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
            var response = await Deliveries.UpdateEntityAsync(ToEntity(delivery), delivery.ETag, TableUpdateMode.Replace, cancellationToken);
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

    /// <summary>Keeps the payload where an admin can find and replay it. Replaces an earlier dead letter, replay mark included.</summary>
    public async Task AddDeadLetterAsync(WebhookDelivery delivery, string? url, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DeadLetters.UpsertEntityAsync(new WebhookDeadLetterEntity
        {
            PartitionKey = delivery.Target,
            RowKey = delivery.Id,
            EventType = delivery.EventType,
            StoreId = delivery.StoreId,
            Url = url,
            Payload = delivery.Payload,
            Attempts = delivery.Attempts,
            LastStatusCode = delivery.LastStatusCode,
            LastError = delivery.LastError,
            DeadLetteredAt = now,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task MarkReplayedAsync(WebhookDelivery delivery, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DeadLetters.UpsertEntityAsync(
            new WebhookDeadLetterEntity { PartitionKey = delivery.Target, RowKey = delivery.Id, ReplayedAt = now }, TableUpdateMode.Merge, cancellationToken);

    public async Task<(IReadOnlyList<DeadLetterView> Items, string? Continuation)> ListDeadLettersAsync(
        string target, int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        var query = DeadLetters.QueryAsync<WebhookDeadLetterEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {target}"), pageSize, cancellationToken: cancellationToken);
        var (rows, next) = await query.FirstPageAsync(continuation, pageSize);
        return ([.. rows.Select(e => new DeadLetterView(
            e.RowKey, e.PartitionKey, e.EventType ?? "", e.StoreId ?? "", e.Url,
            e.Attempts ?? 0, e.LastStatusCode, e.LastError,
            e.DeadLetteredAt ?? default, e.ReplayedAt,
            System.Text.Json.JsonDocument.Parse(e.Payload ?? "null").RootElement.Clone()))], next);
    }

    private static WebhookDeliveryEntity ToEntity(WebhookDelivery d) => new()
    {
        PartitionKey = d.Id,
        Target = d.Target,
        EventType = d.EventType,
        StoreId = d.StoreId,
        Payload = d.Payload,
        Status = d.Status,
        Attempts = d.Attempts,
        TotalAttempts = d.TotalAttempts,
        Replays = d.Replays,
        CreatedAt = d.CreatedAt,
        LastAttemptAt = d.LastAttemptAt,
        LastStatusCode = d.LastStatusCode,
        LastError = d.LastError,
        DeliveredAt = d.DeliveredAt,
        DeadLetteredAt = d.DeadLetteredAt,
    };

    private static WebhookDelivery ToDelivery(WebhookDeliveryEntity e) => new(
        e.PartitionKey, e.Target, e.EventType, e.StoreId, e.Payload, e.Status ?? WebhookDelivery.Pending,
        e.Attempts, e.TotalAttempts, e.Replays, e.CreatedAt, e.LastAttemptAt, e.LastStatusCode, e.LastError, e.DeliveredAt, e.DeadLetteredAt)
    {
        ETag = e.ETag,
    };
}

/// <summary>A row of the webhookdeliveries table.</summary>
public sealed class WebhookDeliveryEntity : TableRow
{
    /// <summary>The subscription key (store id or "*").</summary>
    public string Target { get; set; } = "";

    public string EventType { get; set; } = "";

    public string StoreId { get; set; } = "";

    public string Payload { get; set; } = "";

    public string? Status { get; set; }

    public int Attempts { get; set; }

    public int TotalAttempts { get; set; }

    public int Replays { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset? DeadLetteredAt { get; set; }
}

/// <summary>
/// A row of the webhookdeadletters table. Every column is nullable because <see cref="WebhookDeliveries.MarkReplayedAsync"/>
/// merges in <see cref="ReplayedAt"/> alone, and a null property is not written.
/// </summary>
public sealed class WebhookDeadLetterEntity : TableRow
{
    public string? EventType { get; set; }

    public string? StoreId { get; set; }

    public string? Url { get; set; }

    public string? Payload { get; set; }

    public int? Attempts { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeadLetteredAt { get; set; }

    public DateTimeOffset? ReplayedAt { get; set; }
}
