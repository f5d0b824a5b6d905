using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Feedback.Functions.Webhooks;

/// <summary>The events a subscription can ask for.</summary>
public static class WebhookEvents
{
    public const string CaseOpened = "case.opened";
    public const string BurstAlert = "alert.burst";
    public const string DeviceOffline = "device.offline";
    public const string DeviceOnline = "device.online";

    public static IReadOnlyList<string> All { get; } = [CaseOpened, BurstAlert, DeviceOffline, DeviceOnline];

    /// <summary>The subscription key of the chain-wide subscription, which receives every store's events.</summary>
    public const string ChainWide = "*";

    /// <summary>Payloads keep Czech, Slovak and Polish letters as they are, so a receiver's logs stay readable.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}

/// <summary>The body of every delivery, as the Standard Webhooks specification suggests: type, timestamp, data.</summary>
public sealed record WebhookEnvelope(string Type, DateTimeOffset Timestamp, object Data);
