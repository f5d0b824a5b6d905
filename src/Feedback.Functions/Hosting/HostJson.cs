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

        var settings = queues.Deserialize<QueueSettings>(CaseInsensitive) ?? new QueueSettings();
        if (settings.BatchSize is < 1 or > 32 || settings.MaxDequeueCount < 1 || settings.MaxPollingInterval < TimeSpan.FromMilliseconds(100))
        {
            throw new InvalidOperationException(
                $"host.json extensions.queues is invalid: batchSize must be 1–32, maxDequeueCount ≥ 1, maxPollingInterval ≥ 100 ms (in {path}).");
        }

        return settings;
    }
}
