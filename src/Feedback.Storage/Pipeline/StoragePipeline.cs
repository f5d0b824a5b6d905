using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Feedback.Storage.Pipeline;

internal static class StoragePipeline
{
    public const string TokenScope = "https://storage.azure.com/.default";

    public static HttpPipeline Build(StorageClientOptions options, HttpPipelinePolicy authentication, params HttpPipelinePolicy[] perCall) =>
        HttpPipelineBuilder.Build(
            options,
            [new VersionPolicy(options.ServiceVersion), .. perCall],
            [authentication],
            new ResponseClassifier());

    public static HttpPipelinePolicy Authentication(TokenCredential credential) =>
        new BearerTokenAuthenticationPolicy(credential, TokenScope);

    private sealed class VersionPolicy(string version) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) =>
            message.Request.Headers.SetValue("x-ms-version", version);
    }
}
