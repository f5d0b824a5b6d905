namespace Feedback.Functions.Storage;

/// <summary>Every queue and table the app uses, in one place. function.json files name the same queues.</summary>
public static class QueueNames
{
    public const string FeedbackSubmitted = "feedback-submitted";
    public const string FollowUpRequested = "followup-requested";
    public const string WebhookDeliveries = "webhook-deliveries";

    public static IReadOnlyList<string> All { get; } = [FeedbackSubmitted, FollowUpRequested, WebhookDeliveries];
}

public static class TableNames
{
    /// <summary>Timer occurrences claimed by an instance, so a schedule fires once across instances.</summary>
    public const string Leases = "leases";

    /// <summary>One row per store (PartitionKey = store id).</summary>
    public const string Stores = "stores";

    /// <summary>One row per kiosk or POS device (PartitionKey = device id).</summary>
    public const string Devices = "devices";

    /// <summary>Receipt claims: PartitionKey = store id, RowKey = receipt id; one answer per receipt.</summary>
    public const string Receipts = "receipts";

    /// <summary>Answers per open QR token and UTC day: PartitionKey = store id, RowKey = {yyyy-MM-dd}.{token hash}.</summary>
    public const string OpenTokenDays = "opentokendays";

    /// <summary>
    /// Raw answers (with their rewards), live counters, daily-cap shares and kiosk reward claims, partitioned by store
    /// and local day so an answer and all it changes are one transaction.
    /// </summary>
    public const string Feedback = "feedback";

    /// <summary>The store-day of an answer sent with the client's own id and no time of its own (open token, device without submittedAt): PartitionKey = store id, RowKey = stored answer id.</summary>
    public const string AnswerDays = "answerdays";

    /// <summary>Issued rewards by code (PartitionKey = code): what redemption reads and updates.</summary>
    public const string RewardCodes = "rewardcodes";

    /// <summary>Score rollups: PartitionKey = store.{id} | region.{id} | chain (and their per-day copies), RowKey = {day|week|month}.{key}.</summary>
    public const string Rollups = "rollups";

    /// <summary>Store-days whose counters changed since the last aggregation, sharded d00–d15.</summary>
    public const string RollupDirty = "rollupdirty";

    /// <summary>Follow-up cases by store (PartitionKey = store id): newest-first case rows and an index row per answer.</summary>
    public const string Cases = "cases";

    /// <summary>Per store (PartitionKey = store id): the contact deadline and the burst alert state.</summary>
    public const string FollowUp = "followup";

    /// <summary>Webhook subscriptions: PartitionKey = store id, or "*" for the chain-wide one.</summary>
    public const string Webhooks = "webhooks";

    /// <summary>One row per webhook-id (PartitionKey): payload, attempts, outcome.</summary>
    public const string WebhookDeliveries = "webhookdeliveries";

    /// <summary>Deliveries that failed their last attempt, with their payload: PartitionKey = subscription key, RowKey = webhook-id.</summary>
    public const string WebhookDeadLetters = "webhookdeadletters";

    /// <summary>Erased contact details as SHA-256 hashes (PartitionKey email | phone), so queued answers are stored without them.</summary>
    public const string Erasures = "erasures";

    /// <summary>Device heartbeats and what webhooks were told about them: PartitionKey = store id, RowKey = h.{device} | s.{device}.</summary>
    public const string DeviceHealth = "devicehealth";

    /// <summary>The chain's segment questions: PartitionKey = chain, RowKey "".</summary>
    public const string Segments = "segments";

    /// <summary>Scoped access keys for the read APIs and the dashboard (PartitionKey = key id), secrets only as hashes.</summary>
    public const string AccessKeys = "accesskeys";

    public static IReadOnlyList<string> All { get; } =
        [Segments, Leases, Stores, Devices, Receipts, OpenTokenDays, Feedback, AnswerDays, RewardCodes, Rollups, RollupDirty, Cases, FollowUp, Webhooks, WebhookDeliveries, WebhookDeadLetters, Erasures, DeviceHealth, AccessKeys];
}
