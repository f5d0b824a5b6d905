using System.Collections.Concurrent;
using System.Net;
using Azure.Core.Pipeline;
using Feedback.Storage;

namespace Feedback.IntegrationTests.Storage;

/// <summary>Records every request a client sends; forwards to the network unless given a canned reply.</summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly HttpStatusCode? _reply;

    public RecordingHandler(HttpStatusCode? reply = null)
        : base(new HttpClientHandler())
    {
        _reply = reply;
    }

    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    public StorageClientOptions Options() => new() { Transport = new HttpClientTransport(new HttpClient(this)) };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return _reply is { } status
            ? Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent("") })
            : base.SendAsync(request, cancellationToken);
    }
}
