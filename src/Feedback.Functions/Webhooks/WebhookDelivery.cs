using System.Security.Cryptography;
using System.Text;
using Azure;

namespace Feedback.Functions.Webhooks;

/// <summary>
/// One event for one subscription, under its <c>webhook-id</c>: the payload, where it is in its attempts,
/// and how it ended; stored by <see cref="WebhookDeliveries"/>. Once delivered it is never sent again.
/// </summary>
public sealed record WebhookDelivery(
    string Id,
    string Target,
    string EventType,
    string StoreId,
    string Payload,
    string Status,
    int Attempts,
    int TotalAttempts,
    int Replays,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? DeadLetteredAt)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string DeadLettered = "deadlettered";

    public ETag ETag { get; init; }

    /// <summary>
    /// The same event for the same subscription always gets the same id, so a redelivered queue message
    /// finds the delivery it already created instead of sending the event again under a new id.
    /// </summary>
    public static string IdFor(string target, string eventType, string subject) =>
        "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{target}|{eventType}|{subject}")))[..32];

    public static bool IsId(string? id) =>
        id is { Length: 36 } && id.StartsWith("msg_", StringComparison.Ordinal) && id[4..].All(char.IsAsciiHexDigitLower);

    public static WebhookDelivery New(string target, string eventType, string storeId, string subject, string payload, DateTimeOffset now) =>
        new(IdFor(target, eventType, subject), target, eventType, storeId, payload, Pending, 0, 0, 0, now, null, null, null, null, null);

    /// <summary>
    /// Pending, yet nothing has happened for <see cref="WebhookOptions.StuckAfter"/> past the time its next attempt was due:
    /// the message that carried it is gone (poisoned), so nothing will happen unless it is replayed.
    /// </summary>
    public bool IsStuck(DateTimeOffset now, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scheduled = Attempts >= 1 && Attempts < options.MaxAttempts ? options.RetryDelays[Attempts - 1] : TimeSpan.Zero;
        return Status == Pending && now - (LastAttemptAt ?? CreatedAt) > scheduled + options.Timeout + options.StuckAfter;
    }

    public WebhookDeliveryView ToView() => new(
        Id, Target, EventType, StoreId, Status, Attempts, TotalAttempts, Replays, CreatedAt, LastAttemptAt, LastStatusCode, LastError,
        DeliveredAt, DeadLetteredAt, System.Text.Json.JsonDocument.Parse(Payload).RootElement.Clone());
}

/// <summary>Queue message on webhook-deliveries: make attempt <paramref name="Attempt"/> (1-based) of a delivery.</summary>
public sealed record WebhookDeliveryRequested(string WebhookId, int Attempt);
