using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Capture;
using Feedback.Functions.Http;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Rewards;

public sealed record RewardStatusView(string Code, string Title, string StoreId, string Status, DateTimeOffset ExpiresAt, DateTimeOffset? RedeemedAt);

public sealed record RedeemedView(string Status, DateTimeOffset RedeemedAt);

/// <summary>Looking up and redeeming reward codes at the till.</summary>
public static class RewardEndpoints
{
    public static IEndpointRouteBuilder MapRewardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rewards/{code}", GetAsync).WithName("GetReward");
        app.MapPost("/api/rewards/{code}/redeem", RedeemAsync).WithName("RedeemReward");
        return app;
    }

    public static async Task<Results<Ok<RewardStatusView>, ProblemHttpResult>> GetAsync(
        string code, HttpContext context, StoreDirectory directory, StorageAccount storage, SubmissionLimiter limiter, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var device = AdminKeyFilter.IsAdmin(context) ? null : await directory.AuthenticateDeviceAsync(context.Request.Headers[ApiHeaders.DeviceKey], cancellationToken);
        if (device is null && !AdminKeyFilter.IsAdmin(context))
        {
            return Problems.Unauthorized("Send a device key of the issuing store, or the admin key.");
        }

        if (device is not null && limiter.TryAcquire(SubmissionLimiter.Redeem, device.Id) is { } wait)
        {
            return Problems.TooManyRequests(context, wait, "Too many reward lookups from this device; wait a moment.");
        }

        if (!RewardCode.TryNormalize(code, out var normalized) || await Read(storage, normalized, cancellationToken) is not { } row)
        {
            return Problems.NotFound("There is no such reward code.");
        }

        if (device is not null && device.StoreId != row.StoreId)
        {
            return Problems.Forbidden("This reward was issued by another store.");
        }

        return TypedResults.Ok(View(row, clock.GetUtcNow()));
    }

    public static async Task<Results<Ok<RedeemedView>, ProblemHttpResult>> RedeemAsync(
        string code, HttpContext context, StoreDirectory directory, StorageAccount storage, SubmissionLimiter limiter, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var device = await directory.AuthenticateDeviceAsync(context.Request.Headers[ApiHeaders.DeviceKey], cancellationToken);
        if (device is null)
        {
            return Problems.Unauthorized("Redeeming needs the device key of a till or kiosk of the issuing store.");
        }

        if (limiter.TryAcquire(SubmissionLimiter.Redeem, device.Id) is { } wait)
        {
            return Problems.TooManyRequests(context, wait, "Too many redemption attempts from this device; wait a moment.");
        }

        if (!RewardCode.TryNormalize(code, out var normalized) || await Read(storage, normalized, cancellationToken) is not { } row)
        {
            return Problems.NotFound("There is no such reward code.");
        }

        if (device.StoreId != row.StoreId)
        {
            return Problems.Forbidden("This reward was issued by another store.");
        }

        var now = clock.GetUtcNow();
        switch (View(row, now).Status)
        {
            case "redeemed":
                return Problems.Conflict("This reward has already been redeemed.");
            case "expired":
                return Problems.Create(StatusCodes.Status410Gone, "Expired", "This reward has expired.");
        }

        try
        {
            // The ETag makes two tills redeeming at once succeed once.
            await storage.Table(TableNames.RewardCodes).UpdateEntityAsync(
                new RewardRedemptionEntity { PartitionKey = row.PartitionKey, RowKey = row.RowKey, RedeemedAt = now, RedeemedBy = device.Id },
                row.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Problems.Conflict("This reward has already been redeemed.");
        }

        Hosting.FeedbackMetrics.RewardRedeemed();
        return TypedResults.Ok(new RedeemedView("redeemed", now));
    }

    private static Task<RewardCodeEntity?> Read(StorageAccount storage, string code, CancellationToken cancellationToken) =>
        storage.Table(TableNames.RewardCodes).FindAsync<RewardCodeEntity>(code, "", cancellationToken);

    private static RewardStatusView View(RewardCodeEntity row, DateTimeOffset now)
    {
        var status = row.RedeemedAt is not null ? "redeemed" : now >= row.ExpiresAt ? "expired" : "issued";
        return new RewardStatusView(row.PartitionKey, row.Title ?? "", row.StoreId ?? "", status, row.ExpiresAt, row.RedeemedAt);
    }
}
