using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Feedback.Functions.Webhooks;

public sealed record DeliveryResult(bool Delivered, int? StatusCode, string? Error);

/// <summary>
/// Makes one signed attempt. Every connection goes through <see cref="WebhookTargets.ConnectAsync"/>, so
/// the address check holds for whatever the name resolves to now; redirects are not followed and no
/// proxy is used, since either would send the request somewhere that was not checked.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;

    public WebhookSender(WebhookOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        var allowPrivate = options.AllowPrivateTargets;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.Timeout,
            ConnectCallback = (context, ct) => WebhookTargets.ConnectAsync(context.DnsEndPoint, allowPrivate, ct),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Feedback-Webhooks", "1.0"));
    }

    public async Task<DeliveryResult> SendAsync(WebhookSubscription subscription, string webhookId, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!WebhookSecret.TryParse(subscription.Secret, out var key))
        {
            return new DeliveryResult(false, null, "The subscription's secret is not a valid whsec_ secret.");
        }

        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, webhookId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(key, webhookId, timestamp, payload));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new DeliveryResult(true, status, null)
                : new DeliveryResult(false, status, $"The receiver answered {status}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(false, null, $"No answer within {_options.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            return new DeliveryResult(false, null, Innermost(e));
        }
    }

    private static string Innermost(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookTargetRefusedException)
            {
                return inner.Message;
            }
        }

        return e.InnerException?.Message is { } detail ? $"{e.Message} ({detail})" : e.Message;
    }

    public void Dispose() => _client.Dispose();
}
