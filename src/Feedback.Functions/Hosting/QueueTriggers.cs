using Azure.Storage.Queues.Models;
using Feedback.Functions.Storage;
using Microsoft.Azure.WebJobs;
using ExecutionContext = Microsoft.Azure.WebJobs.ExecutionContext;

namespace Feedback.Functions.Hosting;

/// <summary>
/// Standalone mode's queue triggers on the WebJobs SDK queue extension, the engine the Functions host
/// loads for the same function.json bindings: each hands its message to the one implementation that
/// host invocations (<c>POST /{FunctionName}</c>) reach too.
/// </summary>
public sealed class QueueTriggers(Invoker invoker)
{
    [FunctionName("ProcessFeedback")]
    public Task ProcessFeedback([QueueTrigger(QueueNames.FeedbackSubmitted)] QueueMessage message, ExecutionContext context, CancellationToken cancellationToken) =>
        RunAsync("ProcessFeedback", message, context, cancellationToken);

    [FunctionName("FollowUp")]
    public Task FollowUp([QueueTrigger(QueueNames.FollowUpRequested)] QueueMessage message, ExecutionContext context, CancellationToken cancellationToken) =>
        RunAsync("FollowUp", message, context, cancellationToken);

    [FunctionName("DeliverWebhook")]
    public Task DeliverWebhook([QueueTrigger(QueueNames.WebhookDeliveries)] QueueMessage message, ExecutionContext context, CancellationToken cancellationToken) =>
        RunAsync("DeliverWebhook", message, context, cancellationToken);

    /// <summary>The only type the WebJobs host indexes for functions.</summary>
    internal sealed class Locator : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => [typeof(QueueTriggers)];
    }

    private Task RunAsync(string functionName, QueueMessage message, ExecutionContext context, CancellationToken cancellationToken) =>
        invoker.RunQueueAsync(
            functionName,
            context.InvocationId.ToString(),
            new QueueTrigger(message.Body.ToString(), message.MessageId, message.DequeueCount, message.InsertedOn),
            cancellationToken);
}
