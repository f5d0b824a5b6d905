using System.Text.Json;

namespace Feedback.Functions.Storage;

/// <summary>Sends queue messages as JSON (base64 on the wire, as the queue trigger expects).</summary>
public sealed class MessageQueue(StorageAccount storage)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SendAsync<T>(string queueName, T message, CancellationToken cancellationToken) =>
        await storage.Queue(queueName).SendMessageAsync(JsonSerializer.Serialize(message, Json), cancellationToken: cancellationToken);

    /// <summary>Reads a message this app sent; malformed text throws, which fails the invocation and ends in the poison queue.</summary>
    public static T Read<T>(string text) =>
        JsonSerializer.Deserialize<T>(text, Json) ?? throw new JsonException($"Queue message is not a {typeof(T).Name}.");
}
