using System.Security.Cryptography;
using Azure;
using Feedback.Functions.Http;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;

namespace Feedback.Functions.Capture;

/// <summary>The outcome of one submission: accepted, or the reason it was not.</summary>
public sealed record CaptureOutcome(int Status, FeedbackAccepted? Accepted = null, Validator? Invalid = null, string? Detail = null, TimeSpan? RetryAfter = null);

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
            return new CaptureOutcome(StatusCodes.Status400BadRequest, Invalid: v);
        }

        var failure = QrToken.TryVerify(request.Token, directory.StoreKey, now, out var claims);
        if (failure != QrTokenFailure.None)
        {
            return new CaptureOutcome(StatusCodes.Status401Unauthorized,
                Detail: failure == QrTokenFailure.Expired ? "This QR code has expired." : "This QR code is not valid.");
        }

        if (await stores.GetAsync(claims!.StoreId, cancellationToken) is null)
        {
            return new CaptureOutcome(StatusCodes.Status401Unauthorized, Detail: "This QR code is not valid.");
        }

        if ((limiter.TryAcquire(SubmissionLimiter.Token, request.Token!) ?? limiter.TryAcquire(SubmissionLimiter.Ip, clientIp)) is { } wait)
        {
            return new CaptureOutcome(StatusCodes.Status429TooManyRequests, Detail: "Too many answers; try again shortly.", RetryAfter: wait);
        }

        var id = request.Id ?? NewId();
        if (claims.ReceiptId is not { } receipt)
        {
            return await EnqueueAsync(request, id, claims.StoreId, Touchpoints.ToWire(claims.Touchpoint), FeedbackSubmitted.FromToken,
                null, null, null, now, now, cancellationToken);
        }

        if (!await ClaimReceiptAsync(claims.StoreId, receipt, id, now, cancellationToken))
        {
            return new CaptureOutcome(StatusCodes.Status409Conflict, Detail: "This receipt has already been answered.");
        }

        try
        {
            return await EnqueueAsync(request, id, claims.StoreId, Touchpoints.ToWire(claims.Touchpoint), FeedbackSubmitted.FromToken,
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
            return new CaptureOutcome(StatusCodes.Status400BadRequest, Invalid: v);
        }

        if (rateLimited && LimitDevice(device) is { } limited)
        {
            return limited;
        }

        var touchpoint = request.Touchpoint ?? (device.Kind == DeviceKind.Kiosk ? "kiosk" : "store");
        return await EnqueueAsync(request, request.Id ?? NewId(), device.StoreId, touchpoint, FeedbackSubmitted.FromDevice,
            device.Id, device.Kind.ToString().ToLowerInvariant(), null, request.SubmittedAt ?? now, now, cancellationToken);
    }

    public CaptureOutcome? LimitDevice(Device device) =>
        limiter.TryAcquire(SubmissionLimiter.Device, device.Id) is { } wait
            ? new CaptureOutcome(StatusCodes.Status429TooManyRequests, Detail: "Too many answers from this device; try again shortly.", RetryAfter: wait)
            : null;

    public Task<Device?> AuthenticateDeviceAsync(string? deviceKey, CancellationToken cancellationToken) =>
        directory.AuthenticateDeviceAsync(deviceKey, cancellationToken);

    private async Task<CaptureOutcome> EnqueueAsync(
        FeedbackRequest r, string id, string storeId, string touchpoint, string source, string? deviceId, string? deviceKind,
        string? receiptId, DateTimeOffset submittedAt, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var consented = r.Contact is { Consent: true } c && (c.Email ?? c.Phone) is not null;
        var message = new FeedbackSubmitted(
            id, storeId, touchpoint, source, deviceId, deviceKind, receiptId,
            r.Score!.Value, r.Csat, r.Ces, r.Reasons ?? [], r.Comment, r.Language?.ToLowerInvariant(),
            submittedAt, receivedAt, r.JourneyId, r.StaffId,
            consented ? new Contact(r.Contact!.Email, r.Contact.Phone) : null, Hosting.Telemetry.CurrentTraceParent());
        await queue.SendAsync(QueueNames.FeedbackSubmitted, message, cancellationToken);
        Hosting.FeedbackMetrics.AnswerAccepted(touchpoint);
        var statusUrl = StatusLinks.Path(links.For(storeId, id));
        return new CaptureOutcome(StatusCodes.Status202Accepted, new FeedbackAccepted(id, "pending", statusUrl));
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
