using Feedback.Functions.Answers;
using Feedback.Functions.Configuration;
using Feedback.Functions.Stores;
using Feedback.Functions.Webhooks;

namespace Feedback.Functions.FollowUp;

/// <summary>
/// Queue trigger on followup-requested: opens the answer's case (once, however often the message
/// comes), tells the store with <c>case.opened</c>, and checks the store for a burst of detractors.
/// Each step is idempotent, so a delivery that failed half-way is completed by the next one.
/// </summary>
public sealed class FollowUpFunction(
    StoreCache stores,
    ErasedContacts erased,
    CaseStore cases,
    FollowUpPolicies policies,
    WebhookPublisher publisher,
    BurstDetector bursts,
    PublicOptions site,
    TimeProvider clock,
    ILogger<FollowUpFunction> logger) : StoreMessageFunction<FollowUpRequested>(stores, logger)
{
    public const string Name = "FollowUp";

    protected override async Task RunAsync(FollowUpRequested request, Store store, CancellationToken cancellationToken)
    {
        if (request.Contact is not null)
        {
            // Erased after the answer was processed: no call-back, and no case at all unless the answer is a detractor's.
            var kept = await erased.KeepAsync(request.Contact, cancellationToken);
            request = request with { Contact = kept, CallbackRequested = kept is not null };
            if (kept is null && !request.Detractor)
            {
                logger.LogInformation("Follow-up for answer {FeedbackId} dropped: its contact was erased", request.FeedbackId);
                return;
            }
        }

        var deadline = await policies.DeadlineAsync(store.Id, cancellationToken);
        var (created, opened) = await cases.OpenAsync(FollowUpCase.OpenFor(request, clock.GetUtcNow(), deadline), cancellationToken);
        logger.LogInformation("Case {CaseId} {Outcome}, due {DueAt}", opened.Id, created ? "opened" : "already open", opened.DueAt);

        await publisher.PublishAsync(
            store.Id, WebhookEvents.CaseOpened, opened.Id, CaseOpenedData.From(opened, store, site), opened.CreatedAt, cancellationToken);
        await bursts.EvaluateAsync(store, request.FeedbackId, cancellationToken);
    }
}
