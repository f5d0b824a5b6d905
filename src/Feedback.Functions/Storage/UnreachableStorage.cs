using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Feedback.Functions.Storage;

/// <summary>
/// A storage call that got no answer at all, after every retry (connection refused or reset: storage stopped or
/// unreachable), fails as <c>503 Service Unavailable</c>, as an overloaded account answers. The WebJobs queue
/// listener backs off on a 5xx and polls again, but a bare transport failure ends its poll loop for good: in
/// standalone mode the app would go on taking answers and never process them. Runs outside the retry policy, so
/// retries are unchanged; a caller's own cancellation passes through as it is.
/// </summary>
internal sealed class UnreachableStorage : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnanswered(e) && !message.CancellationToken.IsCancellationRequested)
        {
            throw Unavailable(e);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (IsUnanswered(e) && !message.CancellationToken.IsCancellationRequested)
        {
            throw Unavailable(e);
        }
    }

    private static RequestFailedException Unavailable(Exception e) =>
        new(StatusCodes.Status503ServiceUnavailable, "Storage could not be reached: " + e.Message, "StorageUnreachable", e);

    // Azure.Core gives up with the attempt's own exception after one attempt, with an AggregateException after several.
    private static bool IsUnanswered(Exception e) => e switch
    {
        RequestFailedException { Status: 0 } => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.Any(i => i is RequestFailedException { Status: 0 })
            && a.InnerExceptions.All(i => i is RequestFailedException { Status: 0 } or OperationCanceledException),
        _ => false,
    };
}
