using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Feedback.Storage.Pipeline;

/// <summary>Signs Queue service requests with SharedKey (Azurite does not accept SharedKeyLite for queues).</summary>
internal sealed class QueueSharedKeyPolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    private static readonly string[] SignedHeaders =
    [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ];

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            headers.Add(new(header.Name, header.Value));
        }

        if (request.Content is not null && request.Content.TryComputeLength(out var length))
        {
            headers.Add(new("Content-Length", length.ToString(CultureInfo.InvariantCulture)));
        }

        var stringToSign = StringToSign(request.Method.Method, credential.AccountName, request.Uri.ToUri(), headers);
        request.Headers.SetValue("Authorization", $"SharedKey {credential.AccountName}:{credential.Sign(stringToSign)}");
    }

    public static string StringToSign(string verb, string accountName, Uri uri, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var all = headers.ToLookup(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
        var sb = new StringBuilder(verb.ToUpperInvariant()).Append('\n');
        foreach (var name in SignedHeaders)
        {
            var value = all[name].FirstOrDefault() ?? "";
            // Content-Length is empty when zero; Date is empty because x-ms-date is always sent.
            if ((name == "Content-Length" && value == "0") || name == "Date")
            {
                value = "";
            }

            sb.Append(value).Append('\n');
        }

        foreach (var group in all
                     .Where(g => g.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .OrderBy(g => g.Key.ToLowerInvariant(), StringComparer.Ordinal))
        {
            sb.Append(group.Key.ToLowerInvariant()).Append(':').Append(group.First().Trim()).Append('\n');
        }

        sb.Append('/').Append(accountName).Append(uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath);
        foreach (var parameter in QueryParameters.Parse(uri.Query)
                     .GroupBy(p => p.Name.ToLowerInvariant())
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append('\n').Append(parameter.Key).Append(':')
              .Append(string.Join(',', parameter.Select(p => p.Value).Order(StringComparer.Ordinal)));
        }

        return sb.ToString();
    }
}
