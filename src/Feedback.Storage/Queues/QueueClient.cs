using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Feedback.Storage.Pipeline;

namespace Feedback.Storage.Queues;

/// <summary>A client for one queue, shaped like Azure.Storage.Queues' QueueClient.</summary>
public sealed partial class QueueClient
{
    /// <summary>The service's limit on a message's text as sent (after encoding).</summary>
    public const int MaxMessageLength = 64 * 1024;

    public const int MaxMessagesPerReceive = 32;

    private static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    private readonly HttpPipeline _pipeline;
    private readonly Uri _queueUri;
    private readonly QueueMessageEncoding _encoding;

    public QueueClient(string connectionString, string queueName, QueueClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), queueName, options ?? new QueueClientOptions())
    {
    }

    public QueueClient(Uri queueServiceUri, string queueName, TokenCredential credential, QueueClientOptions? options = null)
        : this(queueServiceUri, queueName, StoragePipeline.Authentication(credential), options ?? new QueueClientOptions())
    {
    }

    public QueueClient(Uri queueServiceUri, string queueName, StorageSharedKeyCredential credential, QueueClientOptions? options = null)
        : this(queueServiceUri, queueName, new QueueSharedKeyPolicy(credential), options ?? new QueueClientOptions())
    {
    }

    private QueueClient(StorageConnectionString connection, string queueName, QueueClientOptions options)
        : this(connection.QueueEndpoint, queueName,
               new QueueSharedKeyPolicy(connection.Credential ?? throw new ArgumentException("The connection string has no account key.")),
               options)
    {
    }

    private QueueClient(Uri queueServiceUri, string queueName, HttpPipelinePolicy authentication, QueueClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(queueServiceUri);
        ValidateName(queueName);
        Name = queueName;
        _queueUri = new Uri(queueServiceUri.AbsoluteUri.TrimEnd('/') + "/" + queueName);
        _encoding = options.MessageEncoding;
        _pipeline = StoragePipeline.Build(options, authentication);
    }

    public string Name { get; }

    public Uri Uri => _queueUri;

    /// <summary>Creates the queue; true when it was created, false when it already existed.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(RequestMethod.Put, "", null, cancellationToken, 201, 204);
        return response.Status == 201;
    }

    /// <summary>Deletes the queue and its messages; a missing queue is not an error.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var _ = await SendAsync(RequestMethod.Delete, "", null, cancellationToken, 204, 404);
    }

    public async Task<SendReceipt> SendMessageAsync(
        string text, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var encoded = _encoding == QueueMessageEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : text;
        var body = new XElement("QueueMessage", new XElement("MessageText", encoded)).ToString(SaveOptions.DisableFormatting);
        if (Encoding.UTF8.GetByteCount(encoded) > MaxMessageLength)
        {
            throw new ArgumentException(
                $"The message is {Encoding.UTF8.GetByteCount(encoded)} bytes once encoded; the queue service accepts at most {MaxMessageLength}.",
                nameof(text));
        }

        var query = $"?visibilitytimeout={Seconds(visibilityTimeout ?? TimeSpan.Zero, 0)}";
        if (timeToLive is { } ttl)
        {
            query += $"&messagettl={(ttl == Timeout.InfiniteTimeSpan ? -1 : (long)ttl.TotalSeconds)}";
        }

        using var response = await SendAsync(RequestMethod.Post, "/messages" + query, body, cancellationToken, 201);
        var message = XElement.Parse(response.Content.ToString()).Element("QueueMessage")!;
        return new SendReceipt(
            message.Element("MessageId")!.Value,
            message.Element("PopReceipt")!.Value,
            Date(message, "InsertionTime"),
            Date(message, "ExpirationTime"),
            Date(message, "TimeNextVisible"));
    }

    /// <summary>Receives up to <paramref name="maxMessages"/> messages, hiding them for the visibility timeout (default 30 s).</summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(
        int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
        var query = $"/messages?numofmessages={maxMessages}";
        if (visibilityTimeout is { } visibility)
        {
            query += $"&visibilitytimeout={Seconds(visibility, 1)}";
        }

        using var response = await SendAsync(RequestMethod.Get, query, null, cancellationToken, 200);
        return [.. XElement.Parse(response.Content.ToString()).Elements("QueueMessage").Select(m => new QueueMessage(
            m.Element("MessageId")!.Value,
            m.Element("PopReceipt")!.Value,
            long.Parse(m.Element("DequeueCount")!.Value, CultureInfo.InvariantCulture),
            Date(m, "InsertionTime"),
            Date(m, "ExpirationTime"),
            Date(m, "TimeNextVisible"),
            Decode(m.Element("MessageText")!.Value)))];
    }

    public async Task<IReadOnlyList<PeekedMessage>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
        using var response = await SendAsync(
            RequestMethod.Get, $"/messages?peekonly=true&numofmessages={maxMessages}", null, cancellationToken, 200);
        return [.. XElement.Parse(response.Content.ToString()).Elements("QueueMessage").Select(m => new PeekedMessage(
            m.Element("MessageId")!.Value,
            long.Parse(m.Element("DequeueCount")!.Value, CultureInfo.InvariantCulture),
            Date(m, "InsertionTime"),
            Date(m, "ExpirationTime"),
            Decode(m.Element("MessageText")!.Value)))];
    }

    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        using var _ = await SendAsync(
            RequestMethod.Delete, $"/messages/{Uri.EscapeDataString(messageId)}?popreceipt={Uri.EscapeDataString(popReceipt)}",
            null, cancellationToken, 204);
    }

    /// <summary>Changes a received message's visibility timeout, and its text when given. Returns the new pop receipt.</summary>
    public async Task<UpdateReceipt> UpdateMessageAsync(
        string messageId, string popReceipt, TimeSpan visibilityTimeout, string? text = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        string? body = null;
        if (text is not null)
        {
            var encoded = _encoding == QueueMessageEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : text;
            body = new XElement("QueueMessage", new XElement("MessageText", encoded)).ToString(SaveOptions.DisableFormatting);
        }

        using var response = await SendAsync(
            RequestMethod.Put,
            $"/messages/{Uri.EscapeDataString(messageId)}?popreceipt={Uri.EscapeDataString(popReceipt)}&visibilitytimeout={Seconds(visibilityTimeout, 0)}",
            body, cancellationToken, 204);
        response.Headers.TryGetValue("x-ms-popreceipt", out var receipt);
        response.Headers.TryGetValue("x-ms-time-next-visible", out var nextVisible);
        return new UpdateReceipt(
            receipt ?? throw StorageErrors.Create(response.Status, "MissingPopReceipt", "The service returned no pop receipt."),
            DateTimeOffset.Parse(nextVisible ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }

    public async Task<int> GetApproximateMessagesCountAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(RequestMethod.Get, "?comp=metadata", null, cancellationToken, 200);
        return response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count)
            ? int.Parse(count, CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>Queue names: 3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    public static void ValidateName(string queueName)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        if (!QueueName().IsMatch(queueName) || queueName.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{queueName}' is not a valid queue name: use 3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
                nameof(queueName));
        }
    }

    private string Decode(string text)
    {
        if (_encoding == QueueMessageEncoding.None)
        {
            return text;
        }

        // A message written without encoding is passed through rather than failing forever.
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written)
            ? Encoding.UTF8.GetString(buffer, 0, written)
            : text;
    }

    private async Task<Response> SendAsync(
        RequestMethod method, string pathAndQuery, string? body, CancellationToken cancellationToken, params int[] expected)
    {
        using var request = _pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(new Uri(_queueUri.AbsoluteUri + pathAndQuery));
        if (body is not null)
        {
            request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
            request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body));
        }

        var response = await _pipeline.SendRequestAsync(request, cancellationToken);
        if (!expected.Contains(response.Status))
        {
            using (response)
            {
                throw StorageErrors.Create(response);
            }
        }

        return response;
    }

    private static string Seconds(TimeSpan value, int minimum)
    {
        if (value < TimeSpan.FromSeconds(minimum) || value > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Visibility timeouts run from {minimum} s to 7 days.");
        }

        return ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Date(XElement message, string name) =>
        DateTimeOffset.Parse(message.Element(name)!.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
