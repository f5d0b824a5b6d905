using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Feedback.Storage.Pipeline;

/// <summary>Signs Table service requests with SharedKeyLite, as the official Tables SDK does.</summary>
internal sealed class TableSharedKeyLitePolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        message.Request.Headers.SetValue("x-ms-date", date);
        var signature = credential.Sign(StringToSign(date, credential.AccountName, message.Request.Uri.ToUri()));
        message.Request.Headers.SetValue("Authorization", $"SharedKeyLite {credential.AccountName}:{signature}");
    }

    /// <summary>x-ms-date, newline, "/" + account + the path as sent, plus <c>?comp=</c> when present.</summary>
    public static string StringToSign(string date, string accountName, Uri uri)
    {
        var resource = "/" + accountName + uri.AbsolutePath;
        var comp = QueryParameters.Parse(uri.Query).FirstOrDefault(p => p.Name.Equals("comp", StringComparison.OrdinalIgnoreCase));
        if (comp.Name is not null)
        {
            resource += "?comp=" + comp.Value;
        }

        return date + "\n" + resource;
    }
}
