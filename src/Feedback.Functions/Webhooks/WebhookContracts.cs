using System.Text.Json;
using System.Text.Json.Serialization;

namespace Feedback.Functions.Webhooks;

/// <summary>The body of PUT /api/stores/{storeId}/webhooks. Without a secret, one is generated and returned once.</summary>
public sealed record WebhookRequest(string? Url, string? Secret, string[]? Events);

/// <summary>A subscription as the API shows it. The secret appears only in the answer that generated it.</summary>
public sealed record WebhookView(
    string StoreId,
    string Url,
    IReadOnlyList<string> Events,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret);

public sealed record WebhookDeliveryView(
    string WebhookId,
    string Target,
    string EventType,
    string StoreId,
    string Status,
    int Attempts,
    int TotalAttempts,
    int Replays,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? DeadLetteredAt,
    JsonElement Payload);

public sealed record DeadLetterView(
    string WebhookId,
    string Target,
    string EventType,
    string StoreId,
    string? Url,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset DeadLetteredAt,
    DateTimeOffset? ReplayedAt,
    JsonElement Payload);

public sealed record DeadLetterPage(IReadOnlyList<DeadLetterView> Items, string? Continuation);
