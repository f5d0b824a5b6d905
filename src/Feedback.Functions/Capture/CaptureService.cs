using System.Security.Cryptography;
using Azure;
using Feedback.Functions.Answers;
using Feedback.Functions.Http;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Feedback.Functions.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Capture;

/// <summary>The outcome of one submission: accepted, invalid (400 naming the fields), or refused (401, 409, 429).</summary>
public sealed record CaptureOutcome(FeedbackAccepted? Accepted = null, Validator? Invalid = null, Refusal? Refused = null)
{
    public static CaptureOutcome Refuse(int status, string detail, TimeSpan? retryAfter = null) => new(Refused: new Refusal(status, detail, retryAfter));
}

/// <summary>Why an answer was refused, as the problem the client gets.</summary>
public sealed record Refusal(int Status, string Detail, TimeSpan? RetryAfter)
{
    public ProblemHttpResult Problem(HttpContext context) => RetryAfter is { } wait
        ? Problems.TooManyRequests(context, wait, Detail)
        : Problems.Create(Status, Status == StatusCodes.Status409Conflict ? "Conflict" : "Unauthorized", Detail);
}

/// <summary>
/// The request path of an answer: validate, authenticate, rate-limit, claim the receipt (the only
/// table write here), enqueue. Everything else happens in the queue processor.
/// Owns the receipts table: PartitionKey = store id, RowKey = receipt id.
/// </summary>
public sealed class CaptureService(
    StoreDirectory directory,
    StoreCache stores,
    StatusLinks links,
    SubmissionLimiter limiter,
    OpenTokenCeiling ceiling,
    MessageQueue queue,
    StorageAccount storage,
    TimeProvider clock)
{
    public async Task<CaptureOutcome> SubmitWithTokenAsync(FeedbackRequest request, string clientIp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var v = FeedbackValidation.Validate(request, fromDevice: false, now);
        if (!v.IsValid)
        {
            return new CaptureOutcome(Invalid: v);
        }

        var failure = QrToken.TryVerify(request.Token, directory.StoreKey, now, out var claims);
        if (failure != QrTokenFailure.None)
        {
            return CaptureOutcome.Refuse(StatusCodes.Status401Unauthorized, failure == QrTokenFailure.Expired ? "This QR code has expired." : "This QR code is not valid.");
        }

        if (await stores.GetAsync(claims!.StoreId, cancellationToken) is null)
        {
            return CaptureOutcome.Refuse(StatusCodes.Status401Unauthorized, "This QR code is not valid.");
        }

        if ((limiter.TryAcquire(SubmissionLimiter.Token, request.Token!) ?? limiter.TryAcquire(SubmissionLimiter.Ip, clientIp)) is { } wait)
        {
            return CaptureOutcome.Refuse(StatusCodes.Status429TooManyRequests, "Too many answers; try again shortly.", wait);
        }

        var id = request.Id ?? NewId();
        if (claims.ReceiptId is not { } receipt)
        {
            if (await ceiling.TryCountAsync(claims.StoreId, request.Token!, now, cancellationToken) is { } untilTomorrow)
            {
                return CaptureOutcome.Refuse(StatusCodes.Status429TooManyRequests,
                    $"This QR code has taken its {ceiling.PerDay} answers for today; try again tomorrow.", untilTomorrow);
            }

            return await EnqueueAsync(request, id, claims.StoreId, claims.Touchpoint, AnswerSource.Token,
                null, null, null, now, now, cancellationToken);
        }

        if (!await ClaimReceiptAsync(claims.StoreId, receipt, id, now, cancellationToken))
        {
            return CaptureOutcome.Refuse(StatusCodes.Status409Conflict, "This receipt has already been answered.");
        }

        try
        {
            return await EnqueueAsync(request, id, claims.StoreId, claims.Touchpoint, AnswerSource.Token,
                null, null, receipt, now, now, cancellationToken);
        }
        catch when (request.Id is null)
        {
            // A minted id dies with this request, so its claim must too, or the customer's retry would find the receipt taken.
            await storage.Table(TableNames.Receipts).DeleteEntityAsync(claims.StoreId, receipt, cancellationToken: CancellationToken.None);
            throw;
        }
    }

    /// <summary>A device's answer. A batch is rate-limited once as a whole (<paramref name="rateLimited"/> false for its items).</summary>
    public async Task<CaptureOutcome> SubmitWithDeviceAsync(FeedbackRequest request, Device device, CancellationToken cancellationToken, bool rateLimited = true)
    {
        var now = clock.GetUtcNow();
        var v = FeedbackValidation.Validate(request, fromDevice: true, now);
        if (!v.IsValid)
        {
            return new CaptureOutcome(Invalid: v);
        }

        if (rateLimited && LimitDevice(device) is { } limited)
        {
            return limited;
        }

        var touchpoint = Touchpoints.TryParse(request.Touchpoint, out var sent) ? sent : device.Kind == DeviceKind.Kiosk ? Touchpoint.Kiosk : Touchpoint.Store;
        return await EnqueueAsync(request, request.Id ?? NewId(), device.StoreId, touchpoint, AnswerSource.Device,
            device.Id, device.Kind, null, request.SubmittedAt ?? now, now, cancellationToken);
    }

    public CaptureOutcome? LimitDevice(Device device) =>
        limiter.TryAcquire(SubmissionLimiter.Device, device.Id) is { } wait
            ? CaptureOutcome.Refuse(StatusCodes.Status429TooManyRequests, "Too many answers from this device; try again shortly.", wait)
            : null;

    public Task<Device?> AuthenticateDeviceAsync(string? deviceKey, CancellationToken cancellationToken) =>
        directory.AuthenticateDeviceAsync(deviceKey, cancellationToken);

    private async Task<CaptureOutcome> EnqueueAsync(
        FeedbackRequest r, string id, string storeId, Touchpoint touchpoint, AnswerSource source, string? deviceId, DeviceKind? deviceKind,
        string? receiptId, DateTimeOffset submittedAt, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var storedId = Ids.StoredAnswerId(deviceId, receiptId, r.Token, id);
        var message = r.ToMessage(storedId, storeId, touchpoint, source, deviceId, deviceKind, receiptId, submittedAt, receivedAt)
            with { TraceParent = Hosting.Telemetry.CurrentTraceParent() };
        await queue.SendAsync(QueueNames.FeedbackSubmitted, message, cancellationToken);
        Hosting.FeedbackMetrics.AnswerAccepted(touchpoint.ToWire());
        var statusUrl = StatusLinks.Path(links.For(storeId, storedId));
        return new CaptureOutcome(new FeedbackAccepted(id, "pending", statusUrl));
    }

    /// <summary>One answer per receipt: the first id claims it; the same id again is a retry and passes.</summary>
    private async Task<bool> ClaimReceiptAsync(string storeId, string receiptId, string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var receipts = storage.Table(TableNames.Receipts);
        try
        {
            await receipts.AddEntityAsync(new ReceiptClaimEntity { PartitionKey = storeId, RowKey = receiptId, FeedbackId = id, ClaimedAt = now }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var claim = await receipts.FindAsync<ReceiptClaimEntity>(storeId, receiptId, cancellationToken);
            return claim?.FeedbackId == id;
        }
    }

    private static string NewId() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}

/// <summary>A row of the receipts table: which answer claimed the receipt, and when.</summary>
public sealed class ReceiptClaimEntity : TableRow
{
    public string? FeedbackId { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }
}
