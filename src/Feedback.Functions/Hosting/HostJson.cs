using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Azure.WebJobs.Host;

namespace Feedback.Functions.Hosting;

/// <summary>The host.json queue settings, which the standalone queue trigger applies as the host does.</summary>
internal sealed record QueueSettings
{
    public int BatchSize { get; init; } = 16;
    public int? NewBatchThreshold { get; init; }
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;
    public int MaxDequeueCount { get; init; } = 5;
    public string MessageEncoding { get; init; } = "base64";

    /// <summary>Configures the standalone queue trigger exactly as the Functions host does from the same host.json.</summary>
    public void ApplyTo(QueuesOptions options)
    {
        options.BatchSize = BatchSize;
        if (NewBatchThreshold is { } threshold)
        {
            options.NewBatchThreshold = threshold;
        }

        options.MaxPollingInterval = MaxPollingInterval;
        options.VisibilityTimeout = VisibilityTimeout;
        options.MaxDequeueCount = MaxDequeueCount;
        options.MessageEncoding = string.Equals(MessageEncoding, "none", StringComparison.OrdinalIgnoreCase)
            ? QueueMessageEncoding.None
            : QueueMessageEncoding.Base64;
    }

    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    public static QueueSettings Load(string appRoot)
    {
        var path = Path.Combine(appRoot, "host.json");
        var queues = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })?["extensions"]?["queues"];
        if (queues is null)
        {
            return new QueueSettings();
        }

        return queues.Deserialize<QueueSettings>(CaseInsensitive) ?? new QueueSettings();
    }

    /// <summary>Checks the queue trigger's settings as host.json and the app settings left them; the app does not start with bad ones.</summary>
    public static void Check(QueuesOptions options)
    {
        if (options.BatchSize is < 1 or > 32 || options.MaxDequeueCount < 1 || options.MaxPollingInterval < TimeSpan.FromMilliseconds(100)
            || options.VisibilityTimeout < TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                "Queue trigger settings (host.json extensions.queues, AzureFunctionsJobHost__extensions__queues__*) are invalid: "
                + "batchSize must be 1–32, maxDequeueCount ≥ 1, maxPollingInterval ≥ 100 ms, visibilityTimeout ≥ 0.");
        }
    }
}
