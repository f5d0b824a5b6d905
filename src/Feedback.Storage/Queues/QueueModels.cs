namespace Feedback.Storage.Queues;

public enum QueueMessageEncoding
{
    /// <summary>Message text is base64 of its UTF-8 bytes, as the Functions queue trigger expects by default.</summary>
    Base64,

    /// <summary>Message text is sent as is (XML-escaped on the wire).</summary>
    None,
}

public sealed class QueueClientOptions : StorageClientOptions
{
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;
}

/// <summary>A received message; <see cref="PopReceipt"/> is needed to delete or update it.</summary>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    long DequeueCount,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    DateTimeOffset NextVisibleOn,
    string Text);

public sealed record PeekedMessage(
    string MessageId,
    long DequeueCount,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    string Text);

public sealed record SendReceipt(
    string MessageId,
    string PopReceipt,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    DateTimeOffset NextVisibleOn);

public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);
