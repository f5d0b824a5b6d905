using Azure.Core;

namespace Feedback.Storage;

/// <summary>Options shared by <see cref="Tables.TableClient"/> and <see cref="Queues.QueueClient"/>.</summary>
public class StorageClientOptions : ClientOptions
{
    /// <summary>The x-ms-version sent with every request. Azurite 3.37 accepts up to 2026-06-06.</summary>
    public string ServiceVersion { get; set; } = "2025-11-05";
}
