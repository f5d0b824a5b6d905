using System.Text.Json;
using System.Text.Json.Serialization;

namespace Feedback.Functions.Webhooks;

/// <summary>The events a subscription can ask for.</summary>
public static class WebhookEvents
{
    public const string CaseOpened = "case.opened";
    public const string BurstAlert = "alert.burst";

    public static IReadOnlyList<string> All { get; } = [CaseOpened, BurstAlert];

    /// <summary>The subscription key of the chain-wide subscription, which receives every store's events.</summary>
    public const string ChainWide = "*";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <summary>The body of every delivery, as the Standard Webhooks specification suggests: type, timestamp, data.</summary>
public sealed record WebhookEnvelope(string Type, DateTimeOffset Timestamp, object Data);
