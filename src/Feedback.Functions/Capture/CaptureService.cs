using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Http;
using Feedback.Functions.Segments;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Feedback.Functions.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Capture;

/// <summary>The outcome of one submission: accepted, invalid (400 naming the fields), or refused (401, 403, 409, 429).</summary>
public sealed record CaptureOutcome(FeedbackAccepted? Accepted = null, Validator? Invalid = null, Refusal? Refused = null)
{
    public static CaptureOutcome Refuse(int status, string detail, TimeSpan? retryAfter = null) => new(Refused: new Refusal(status, detail, retryAfter));
}

/// <summary>Why an answer was refused, as the problem the client gets.</summary>
public sealed record Refusal(int Status, string Detail, TimeSpan? RetryAfter)
{
    public ProblemHttpResult Problem(HttpContext context) => RetryAfter is { } wait
        ? Problems.TooManyRequests(context, wait, Detail)
        : Status switch { StatusCodes.Status409Conflict => Problems.Conflict(Detail), StatusCodes.Status403Forbidden => Problems.Forbidden(Detail), _ => Problems.Unauthorized(Detail) };
}

/// <summary>
/// The request path of an answer: validate, authenticate, rate-limit, fix the store-day it counts on, claim the
/// receipt (the only table write here for a receipt, or for a device's answer that carries its time), enqueue.
/// Everything else happens in the queue processor. Owns the receipts table (PartitionKey = store id, RowKey = receipt id) and the answerdays table
/// (PartitionKey = store id, RowKey = stored answer id).
/// </summary>
public sealed class CaptureService(
    StoreDirectory directory,
    StoreCache stores,
    StatusLinks links,
    SubmissionLimiter limiter,
    OpenTokenCeiling ceiling,
    MessageQueue queue,
    StorageAccount storage,
    SegmentDefinitions segments,
    TimeProvider clock)
{
    public async Task<CaptureOutcome> SubmitWithTokenAsync(FeedbackRequest request, string clientIp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var v = await ValidateAsync(request, fromDevice: false, now, cancellationToken);
        if (!v.IsValid)
        {
            return new CaptureOutcome(Invalid: v);
        }

        var (failure, claims) = await directory.VerifyTokenAsync(request.Token, now, cancellationToken);
        if (failure != QrTokenFailure.None)
        {
            return failure switch
            {
                QrTokenFailure.RevokedDevice => CaptureOutcome.Refuse(StatusCodes.Status403Forbidden,
                    "This QR code was printed by a till that has been withdrawn; it takes no answers."),
                QrTokenFailure.Expired => CaptureOutcome.Refuse(StatusCodes.Status401Unauthorized, "This QR code has expired."),
                _ => CaptureOutcome.Refuse(StatusCodes.Status401Unauthorized, "This QR code is not valid."),
            };
        }

        if (await stores.GetAsync(claims!.StoreId, cancellationToken) is not { } store)
        {
            return CaptureOutcome.Refuse(StatusCodes.Status401Unauthorized, "This QR code is not valid.");
        }

        if ((limiter.TryAcquire(SubmissionLimiter.Token, request.Token!) ?? limiter.TryAcquire(SubmissionLimiter.Ip, clientIp)) is { } wait)
        {
            return CaptureOutcome.Refuse(StatusCodes.Status429TooManyRequests, "Too many answers; try again shortly.", wait);
        }

        var day = store.DayOf(now);
        if (claims.ReceiptId is not { } receipt)
        {
            StoreDay? opened = null;
            if (request is { Id: not null, Day: not null } && (opened = PageDay(request.Day, day)) is null)
            {
                return new CaptureOutcome(Invalid: new Validator().Check(false, "day", "A survey page's day of the last 7 days; open the QR code again."));
            }

            var refused = await ceiling.TryCountAsync(claims.StoreId, request.Token!, now, cancellationToken);

            // A minted id is never sent again; the client's own may be, on a later day: it counts on its first one
            // (its survey page's, or pinned), and a pinned retry against the ceiling once.
            var id = request.Id ?? NewId();
            if (request.Id is not null)
            {
                var storedId = Ids.StoredAnswerId(null, null, request.Token, id);
                if (opened is { } page)
                {
                    // The page's day, sent again with every retry: no pin to write. A retry refused by the ceiling is
                    // taken if its answer is stored.
                    day = page;
                    if (refused is not null && (await storage.Table(TableNames.Feedback).GetEntityIfExistsAsync<TableEntity>(
                            day.Key, StoreDayCounters.AnswerRowKey(storedId), ["PartitionKey"], cancellationToken)).HasValue)
                    {
                        refused = null;
                    }
                }
                else if (refused is null)
                {
                    (day, var retry) = await PinDayAsync(day, storedId, cancellationToken);
                    if (retry)
                    {
                        await ceiling.GiveBackAsync(claims.StoreId, request.Token!, now);
                    }
                }
                else if (await PinnedDayAsync(day.StoreId, storedId, cancellationToken) is { } earlier)
                {
                    // A retry of an answer taken before the ceiling was reached.
                    (day, refused) = (earlier, null);
                }
            }

            if (refused is not null)
            {
                return new CaptureOutcome(Refused: refused);
            }

            return await EnqueueAsync(request, id, day, claims.Touchpoint, AnswerSource.Token, null, null, null, now, now, cancellationToken);
        }

        // Without the client's own id, the answer's id is derived from the answer itself (its token names the receipt):
        // a retry, even after an enqueue that failed only to say it was sent, is the same answer with the same status
        // URL, while a different answer on the receipt is refused. So a claim is never given up, and no receipt counts twice.
        var receiptAnswerId = request.Id ?? ReceiptAnswerId(request);
        if (await ClaimReceiptAsync(day, receipt, receiptAnswerId, now, claims.ExpiresAt, cancellationToken) is not { } claimedDay)
        {
            return CaptureOutcome.Refuse(StatusCodes.Status409Conflict, "This receipt has already been answered.");
        }

        return await EnqueueAsync(request, receiptAnswerId, day with { Day = claimedDay }, claims.Touchpoint, AnswerSource.Token, null, null, receipt, now, now, cancellationToken);
    }

    /// <summary>A device's answer. A batch is rate-limited once as a whole (<paramref name="rateLimited"/> false for its items).</summary>
    public async Task<CaptureOutcome> SubmitWithDeviceAsync(FeedbackRequest request, Device device, CancellationToken cancellationToken, bool rateLimited = true)
    {
        var now = clock.GetUtcNow();
        var v = await ValidateAsync(request, fromDevice: true, now, cancellationToken);
        if (!v.IsValid)
        {
            return new CaptureOutcome(Invalid: v);
        }

        if (rateLimited && LimitDevice(device) is { } limited)
        {
            return limited;
        }

        var touchpoint = Touchpoints.TryParse(request.Touchpoint, out var sent) ? sent : device.Kind == DeviceKind.Kiosk ? Touchpoint.Kiosk : Touchpoint.Store;
        var submittedAt = request.SubmittedAt ?? now;

        // A re-uploaded answer carries the same submittedAt, so it lands on the same day.
        if (await stores.GetAsync(device.StoreId, cancellationToken) is not { } store)
        {
            // Accepting it would lose it: the queue processor drops answers for stores that do not exist.
            return CaptureOutcome.Refuse(StatusCodes.Status401Unauthorized, "The device's store no longer exists.");
        }

        var day = store.DayOf(submittedAt);
        var id = request.Id ?? NewId();
        if (request.Id is not null && request.SubmittedAt is null)
        {
            // Sent again without a time of its own, after the store's midnight, it would count on the next day too.
            (day, _) = await PinDayAsync(day, Ids.StoredAnswerId(device.Id, null, null, id), cancellationToken);
        }

        return await EnqueueAsync(request, id, day, touchpoint, AnswerSource.Device, device.Id, device.Kind, null, submittedAt, now, cancellationToken);
    }

    /// <summary>The field rules, and an answer's segments against the current questions (cached: no storage call per answer).</summary>
    private async Task<Validator> ValidateAsync(FeedbackRequest request, bool fromDevice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var v = FeedbackValidation.Validate(request, fromDevice, now);
        return request.Segments is { Count: > 0 }
            ? SegmentRules.CheckAnswer(v, request.Segments, (await segments.GetAsync(cancellationToken)).Questions)
            : v;
    }

    public CaptureOutcome? LimitDevice(Device device) =>
        limiter.TryAcquire(SubmissionLimiter.Device, device.Id) is { } wait
            ? CaptureOutcome.Refuse(StatusCodes.Status429TooManyRequests, "Too many answers from this device; try again shortly.", wait)
            : null;

    public Task<Device?> AuthenticateDeviceAsync(string? deviceKey, CancellationToken cancellationToken) =>
        directory.AuthenticateDeviceAsync(deviceKey, cancellationToken);

    private async Task<CaptureOutcome> EnqueueAsync(
        FeedbackRequest r, string id, StoreDay day, Touchpoint touchpoint, AnswerSource source, string? deviceId, DeviceKind? deviceKind,
        string? receiptId, DateTimeOffset submittedAt, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var storedId = Ids.StoredAnswerId(deviceId, receiptId, r.Token, id);
        var message = r.ToMessage(storedId, day.StoreId, touchpoint, source, deviceId, deviceKind, receiptId, submittedAt, receivedAt)
            with { TraceParent = Hosting.Telemetry.CurrentTraceParent(), Day = day.Day };
        await queue.SendAsync(QueueNames.FeedbackSubmitted, message, cancellationToken);
        Hosting.FeedbackMetrics.AnswerAccepted(touchpoint.ToWire());
        var statusUrl = StatusLinks.Path(links.For(day, storedId));
        return new CaptureOutcome(new FeedbackAccepted(id, "pending", statusUrl));
    }

    /// <summary>
    /// One answer per receipt: the first id claims it, on the store-day it counts on; the same id again is a retry and
    /// passes, with the day of the claim. Null: another id has the receipt.
    /// </summary>
    private async Task<DateOnly?> ClaimReceiptAsync(StoreDay day, string receiptId, string id, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var receipts = storage.Table(TableNames.Receipts);
        try
        {
            await receipts.AddEntityAsync(new ReceiptClaimEntity { PartitionKey = day.StoreId, RowKey = receiptId, FeedbackId = id, ClaimedAt = now, ExpiresAt = expires, Day = day.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken);
            return day.Day;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var claim = await receipts.FindAsync<ReceiptClaimEntity>(day.StoreId, receiptId, cancellationToken);
            return claim?.FeedbackId != id ? null
                : StoreDay.TryParseDate(claim.Day, out var claimed) ? claimed : day.Day;
        }
    }

    /// <summary>
    /// The store-day an answer with the client's own id and no time of its own (an open token's, or a device's without
    /// submittedAt) counts on: the day of its first try (answerdays table), and whether this is a retry of it.
    /// </summary>
    private async Task<(StoreDay Day, bool Retry)> PinDayAsync(StoreDay day, string storedId, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Table(TableNames.AnswerDays).AddEntityAsync(new AnswerDayEntity { PartitionKey = day.StoreId, RowKey = storedId, Partition = day.Key }, cancellationToken);
            return (day, false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (await PinnedDayAsync(day.StoreId, storedId, cancellationToken) ?? day, true);
        }
    }

    /// <summary>The day a survey page was opened on, when it is one of the store's last 7 (as far back as a device's submittedAt); otherwise null.</summary>
    private static StoreDay? PageDay(string? sent, StoreDay today) =>
        StoreDay.TryParseDate(sent, out var opened) && opened <= today.Day && opened >= today.Day.AddDays(-(int)FeedbackValidation.MaxPast.TotalDays)
            ? today with { Day = opened }
            : null;

    private async Task<StoreDay?> PinnedDayAsync(string storeId, string storedId, CancellationToken cancellationToken) =>
        await storage.Table(TableNames.AnswerDays).FindAsync<AnswerDayEntity>(storeId, storedId, cancellationToken) is { Partition: { } partition }
            ? StoreDay.Parse(partition)
            : null;

    /// <summary>
    /// Deletes receipt claims once the claiming token has expired (claims from before they carried it stay), and day
    /// pins once no retry is expected (<see cref="PinDays"/>): both tables would otherwise grow by a row an answer for
    /// good. Returns how many; rows another run deleted first are left to the next.
    /// </summary>
    public async Task<int> ForgetOldClaimsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await DeleteWhereAsync(TableNames.Receipts, TableClient.CreateQueryFilter($"ExpiresAt lt {now}"), cancellationToken)
        + await DeleteWhereAsync(TableNames.AnswerDays, TableClient.CreateQueryFilter($"Timestamp lt {now.AddDays(-PinDays)}"), cancellationToken);

    /// <summary>How long a day pin is kept: a retry of the same answer later than this counts on the day it arrives.</summary>
    public const int PinDays = 30;

    private async Task<int> DeleteWhereAsync(string tableName, string filter, CancellationToken cancellationToken)
    {
        var table = storage.Table(tableName);
        var old = await table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        foreach (var chunk in old.GroupBy(row => row.PartitionKey).SelectMany(partition => partition.Chunk(100)))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
            }
        }

        return old.Count;
    }

    private static string NewId() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The id of a receipt answer sent without one: a digest of the whole request, token included, shaped as a minted id.</summary>
    private static string ReceiptAnswerId(FeedbackRequest request)
    {
        // The same answer however its client orders reasons and segments.
        var canonical = request with
        {
            Reasons = request.Reasons?.Order(StringComparer.Ordinal).ToArray(),
            Segments = request.Segments is { } s ? new(s.OrderBy(p => p.Key, StringComparer.Ordinal)) : null,
        };
        return System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical, MessageQueue.Json)).AsSpan(0, 16));
    }
}
