using System.Text.RegularExpressions;
using Feedback.Functions.Answers;
using Feedback.Functions.Configuration;
using Feedback.Functions.Http;
using Feedback.Functions.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Stores;

/// <summary>Admin API for stores, their devices and their QR tokens.</summary>
public static partial class StoreEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapStoreEndpoints(this IEndpointRouteBuilder app)
    {
        var stores = app.MapGroup("/api/stores").RequireAdminKey();
        stores.MapPut("/{storeId}", PutStoreAsync).WithName("PutStore");
        stores.MapGet("/{storeId}", GetStoreAsync).WithName("GetStore");
        stores.MapPost("/{storeId}/devices", EnrollDeviceAsync).WithName("EnrollDevice");
        stores.MapDelete("/{storeId}/devices/{deviceId}", RevokeDeviceAsync).WithName("RevokeDevice");
        stores.MapPost("/{storeId}/tokens", MintTokenAsync).WithName("MintToken");
        stores.MapGet("/{storeId}/signing-key", GetSigningKeyAsync).WithName("GetStoreSigningKey");
        return app;
    }

    public static async Task<Results<Created<StoreView>, Ok<StoreView>, ValidationProblem, ProblemHttpResult>> PutStoreAsync(
        string storeId, HttpRequest request, StoreDirectory directory, StoreCache cache, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<StoreRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var v = new Validator()
            .Check(Ids.IsStoreId(storeId), "storeId", "Store ids are 1–40 characters of a–z, 0–9 and '-'.")
            .Check(body!.Name is { Length: >= 1 and <= 100 }, "name", "Required, 1–100 characters.")
            .Check(body.Region is not null && Ids.IsStoreId(body.Region), "region", "Required, 1–40 characters of a–z, 0–9 and '-'.")
            .Check(body.TimeZone is not null && IsTimeZone(body.TimeZone), "timeZone", "Required: an IANA time zone such as Europe/Prague.")
            .Check(body.Languages is { Length: >= 1 and <= 8 } && body.Languages.All(l => Ids.IsLanguage(l)),
                "languages", "Required: 1–8 language tags such as \"cs\" or \"en\".");
        if (body.Reward is { ValueKind: System.Text.Json.JsonValueKind.Object } reward)
        {
            RewardCampaign.Validate(reward, v);
        }
        else if (body.Reward is { ValueKind: not System.Text.Json.JsonValueKind.Null })
        {
            v.Add("reward", "Must be an object or null.");
        }

        if (!v.IsValid)
        {
            return v.Problem();
        }

        var rewardJson = body.Reward is { ValueKind: System.Text.Json.JsonValueKind.Object } r ? r.GetRawText() : null;
        var store = new Store(storeId, body.Name!, body.Region!, body.TimeZone!, [.. body.Languages!.Select(l => l.ToLowerInvariant())], rewardJson);
        var created = await directory.PutStoreAsync(store, cancellationToken);
        cache.Forget(storeId);
        return created
            ? TypedResults.Created($"/api/stores/{storeId}", store.ToView())
            : TypedResults.Ok(store.ToView());
    }

    public static async Task<Results<Ok<StoreView>, ProblemHttpResult>> GetStoreAsync(
        string storeId, StoreDirectory directory, CancellationToken cancellationToken) =>
        Ids.IsStoreId(storeId) && await directory.GetStoreAsync(storeId, cancellationToken) is { } store
            ? TypedResults.Ok(store.ToView())
            : Problems.NotFound($"There is no store '{storeId}'.");

    public static async Task<Results<Created<DeviceCreated>, ValidationProblem, ProblemHttpResult>> EnrollDeviceAsync(
        string storeId, HttpRequest request, StoreDirectory directory, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<DeviceRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var v = new Validator()
            .Check(body!.Name is { Length: >= 1 and <= 100 }, "name", "Required, 1–100 characters.")
            .Check(body.Kind is "kiosk" or "pos", "kind", "Required: \"kiosk\" or \"pos\".");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (!Ids.IsStoreId(storeId) || await directory.GetStoreAsync(storeId, cancellationToken) is null)
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        var created = await directory.EnrollDeviceAsync(storeId, body.Name!, body.Kind == "pos" ? DeviceKind.Pos : DeviceKind.Kiosk, cancellationToken);
        return TypedResults.Created($"/api/stores/{storeId}/devices/{created.DeviceId}", created);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeDeviceAsync(
        string storeId, string deviceId, StoreDirectory directory, TimeProvider clock, CancellationToken cancellationToken) =>
        Ids.IsStoreId(storeId) && await directory.RevokeDeviceAsync(storeId, deviceId, clock.GetUtcNow(), cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Store '{storeId}' has no device '{deviceId}'.");

    public static async Task<Results<Created<TokenCreated>, ValidationProblem, ProblemHttpResult>> MintTokenAsync(
        string storeId, HttpRequest request, StoreDirectory directory, PublicOptions site, TokenOptions tokens, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TokenRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var v = new Validator()
            .Check(Touchpoints.TryParse(body!.Touchpoint, out var touchpoint), "touchpoint", "Required: store, kiosk, web, app, callcenter, chatbot or delivery.")
            .Check(body.ReceiptId is null || Ids.IsReceiptId(body.ReceiptId), "receiptId", "1–64 characters of A–Z, a–z, 0–9, '_' and '-'.")
            .Check(body.ValidForDays is null or (>= 1 and <= QrToken.MaxValidDays), "validForDays", $"1–{QrToken.MaxValidDays} days.");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (!Ids.IsStoreId(storeId) || await directory.GetStoreAsync(storeId, cancellationToken) is null)
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        // Receipt tokens live as long as a receipt is worth answering; posters and table tents for a year.
        var days = body.ValidForDays ?? (body.ReceiptId is null ? 365 : 14);
        var expires = clock.GetUtcNow().AddDays(days);
        var token = QrToken.Create(
            new QrTokenClaims(tokens.ActiveKeyId, storeId, touchpoint, body.ReceiptId, expires),
            directory.StoreKey(storeId, tokens.ActiveKeyId)!);
        var url = site.SurveyUrl(token);
        return TypedResults.Created(url, new TokenCreated(token, url, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds())));
    }

    /// <summary>The store's QR signing key for the active key id, for a POS that mints receipt tokens offline.</summary>
    public static async Task<Results<Ok<StoreSigningKey>, ProblemHttpResult>> GetSigningKeyAsync(
        string storeId, StoreDirectory directory, TokenOptions tokens, CancellationToken cancellationToken) =>
        Ids.IsStoreId(storeId) && await directory.GetStoreAsync(storeId, cancellationToken) is not null
            ? TypedResults.Ok(new StoreSigningKey(storeId, tokens.ActiveKeyId, Convert.ToBase64String(directory.StoreKey(storeId, tokens.ActiveKeyId)!)))
            : Problems.NotFound($"There is no store '{storeId}'.");

    private static bool IsTimeZone(string id)
    {
        try
        {
            return id.Contains('/', StringComparison.Ordinal) || id == "UTC"
                ? TimeZoneInfo.FindSystemTimeZoneById(id) is not null
                : false;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}
