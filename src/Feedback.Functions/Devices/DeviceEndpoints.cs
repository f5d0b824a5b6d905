using System.Text.RegularExpressions;
using Feedback.Functions.Answers;
using Feedback.Functions.Configuration;
using Feedback.Functions.Http;
using Feedback.Functions.Rewards;
using Feedback.Functions.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Devices;

/// <summary>Device health: kiosks report in, the admin API shows what they last said.</summary>
public static partial class DeviceEndpoints
{
    private const int MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/devices/heartbeat", HeartbeatAsync).WithName("DeviceHeartbeat");
        app.MapGet("/api/devices/signing-key", GetSigningKeyAsync).WithName("GetDeviceSigningKey");
        app.MapGroup("/api/stores").RequireAdminKey().MapGet("/{storeId}/devices", ListAsync).WithName("ListDevices");
        return app;
    }

    /// <summary>A device reports that it is alive; the answer is the configuration the kiosk keeps for offline starts.</summary>
    public static async Task<Results<Ok<DeviceConfig>, ValidationProblem, ProblemHttpResult>> HeartbeatAsync(
        HttpContext context, StoreDirectory directory, StoreCache stores, DeviceHealthTable health, DeviceOptions options, RewardOptions rewards,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var device = await directory.AuthenticateDeviceAsync(context.Request.Headers[ApiHeaders.DeviceKey], cancellationToken);
        if (device is null)
        {
            return Problems.Unauthorized($"Heartbeats need a valid {ApiHeaders.DeviceKey}.");
        }

        var (body, problem) = await JsonBody.ReadAsync<HeartbeatRequest>(context.Request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var v = new Validator()
            .Check(body!.AppVersion is null || VersionPattern().IsMatch(body.AppVersion), "appVersion", "1–40 characters of A–Z, a–z, 0–9, '.', '_' and '-'.")
            .Check(body.Queued is null or (>= 0 and <= 1_000_000), "queued", "0–1,000,000 answers.")
            .Check(body.LastError is null || body.LastError.Length <= 500, "lastError", "At most 500 characters.");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        await health.RecordHeartbeatAsync(device.StoreId, device.Id, clock.GetUtcNow(), body with { LastError = Blank(body.LastError) }, cancellationToken);
        var store = await stores.GetAsync(device.StoreId, cancellationToken);
        var kioskRewards = device.Kind == DeviceKind.Kiosk && store?.Reward?.Allows(RewardBasis.Kiosk) == true;
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new DeviceConfig(
            device.Id, device.StoreId, store?.Name ?? device.StoreId, device.Kind.ToWire(), kioskRewards,
            (int)options.HeartbeatInterval.TotalSeconds, (int)rewards.KioskInterval.TotalSeconds));
    }

    /// <summary>
    /// A till's own QR signing key for the active key id, fetched with its device key, to mint receipt tokens
    /// offline (format v2, docs/qr-tokens.md). Its tokens are refused once the till is revoked; kiosks mint none.
    /// </summary>
    public static async Task<Results<Ok<DeviceSigningKey>, ProblemHttpResult>> GetSigningKeyAsync(
        HttpContext context, StoreDirectory directory, TokenOptions tokens, CancellationToken cancellationToken)
    {
        var device = await directory.AuthenticateDeviceAsync(context.Request.Headers[ApiHeaders.DeviceKey], cancellationToken);
        if (device is null)
        {
            return Problems.Unauthorized($"A signing key needs a valid {ApiHeaders.DeviceKey}.");
        }

        if (device.Kind != DeviceKind.Pos)
        {
            return Problems.Forbidden("Only tills (devices of kind \"pos\") mint receipt tokens.");
        }

        context.Response.Headers.CacheControl = "no-store";
        var key = directory.DeviceKey(device.StoreId, tokens.ActiveKeyId, device.Id)!;
        return TypedResults.Ok(new DeviceSigningKey(device.StoreId, device.Id, tokens.ActiveKeyId, Convert.ToBase64String(key)));
    }

    /// <summary>A store's devices with their last heartbeat and whether they count as online now.</summary>
    public static async Task<Results<Ok<DeviceList>, ProblemHttpResult>> ListAsync(
        string storeId, StoreDirectory directory, DeviceHealthTable health, DeviceOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Ids.IsStoreId(storeId) || await directory.GetStoreAsync(storeId, cancellationToken) is null)
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        var devices = await directory.ListDevicesAsync(storeId, cancellationToken);
        var beats = await health.HeartbeatsAsync(storeId, cancellationToken);
        var now = clock.GetUtcNow();
        var views = devices
            .OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => beats.GetValueOrDefault(d.Id) is { } beat
                ? new DeviceHealthView(d.Id, d.Name, Kind(d), Status(d, beat.LastSeenAt, now, options), beat.LastSeenAt, beat.AppVersion, beat.Queued, beat.LastError, d.RevokedAt)
                : new DeviceHealthView(d.Id, d.Name, Kind(d), d.RevokedAt is null ? "never" : "revoked", null, null, null, null, d.RevokedAt))
            .ToList();
        return TypedResults.Ok(new DeviceList(storeId, (int)options.OfflineAfter.TotalSeconds, views));
    }

    public static bool IsSilent(DateTimeOffset lastSeenAt, DateTimeOffset now, DeviceOptions options) => now - lastSeenAt > options.OfflineAfter;

    private static string Status(Device device, DateTimeOffset lastSeenAt, DateTimeOffset now, DeviceOptions options) =>
        device.RevokedAt is not null ? "revoked" : IsSilent(lastSeenAt, now, options) ? "offline" : "online";

    private static string Kind(Device device) => device.Kind.ToWire();

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,40}$")]
    private static partial Regex VersionPattern();
}
