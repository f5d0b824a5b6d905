using System.Text.Json;
using System.Text.Json.Nodes;

namespace Feedback.Functions.Hosting;

/// <summary>The host.json queue settings, applied by the standalone listener exactly as the host applies them.</summary>
internal sealed record QueueSettings
{
    public int BatchSize { get; init; } = 16;
    public int? NewBatchThreshold { get; init; }
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;
    public int MaxDequeueCount { get; init; } = 5;
    public string MessageEncoding { get; init; } = "base64";

    /// <summary>The host's default: half a batch per processor.</summary>
    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2 * Environment.ProcessorCount;

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
