using Feedback.Functions.Answers;
using Feedback.Functions.Configuration;
using Feedback.Functions.Http;
using Feedback.Functions.Stores;
using Feedback.Functions.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Pages;

/// <summary>Printable QR codes and posters of a store's survey (admin).</summary>
public static class QrEndpoints
{
    /// <summary>The survey URL the image encodes, for the admin tool that asked for it.</summary>
    public const string SurveyUrlHeader = "Survey-Url";

    private const int ValidDays = 365;

    public static IEndpointRouteBuilder MapQrEndpoints(this IEndpointRouteBuilder app)
    {
        var stores = app.MapGroup("/api/stores").RequireAdminKey();
        stores.MapGet("/{storeId}/qr", QrAsync).WithName("GetStoreQr");
        stores.MapGet("/{storeId}/poster", PosterAsync).WithName("GetStorePoster").WithPageHeaders(PosterPage.ContentSecurityPolicy);
        return app;
    }

    /// <summary>A QR image (SVG by default, or PNG) of a freshly minted static token URL, valid for a year.</summary>
    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> QrAsync(
        string storeId, string? touchpoint, string? format, HttpContext context, StoreDirectory directory, PublicOptions site,
        TokenOptions tokens, TimeProvider clock, CancellationToken cancellationToken)
    {
        var v = new Validator()
            .Check(Touchpoints.TryParse(touchpoint ?? "store", out var parsed), "touchpoint", "One of store, kiosk, web, app, callcenter, chatbot, delivery.")
            .Check(format is null or "svg" or "png", "format", "svg or png.");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (!Ids.IsStoreId(storeId) || await directory.GetStoreAsync(storeId, cancellationToken) is null)
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        var url = SurveyUrl(storeId, parsed, directory, site, tokens, clock);
        var headers = context.Response.Headers;
        headers[SurveyUrlHeader] = url;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        // An SVG opened on its own is a document: it may run nothing and load nothing.
        headers.ContentSecurityPolicy = "default-src 'none'";
        var name = $"qr-{storeId}-{parsed.ToWire()}";
        headers.ContentDisposition = $"inline; filename=\"{name}.{format ?? "svg"}\"";
        return format == "png"
            ? TypedResults.File(QrImages.Png(url), "image/png")
            : TypedResults.File(System.Text.Encoding.UTF8.GetBytes(QrImages.Svg(url)), "image/svg+xml");
    }

    /// <summary>An A6 poster: the store's name, a call to action in the chosen language, and the QR code inline.</summary>
    public static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> PosterAsync(
        string storeId, string? lang, string? touchpoint, HttpContext context, StoreDirectory directory, PublicOptions site,
        TokenOptions tokens, PageTexts texts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var v = new Validator()
            .Check(lang is null || PageTexts.Languages.Contains(lang), "lang", "One of " + string.Join(", ", PageTexts.Languages) + ".")
            .Check(Touchpoints.TryParse(touchpoint ?? "store", out var parsed), "touchpoint", "One of store, kiosk, web, app, callcenter, chatbot, delivery.");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (!Ids.IsStoreId(storeId) || await directory.GetStoreAsync(storeId, cancellationToken) is not { } store)
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        var language = lang ?? PageTexts.Negotiate(null, default, store.Languages);
        var url = SurveyUrl(storeId, parsed, directory, site, tokens, clock);
        var rewarded = store.Reward?.Allows(RewardBasis.Static) == true;
        context.Response.Headers[SurveyUrlHeader] = url;
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(PosterPage.Render(texts, language, store.Name, url, rewarded), "text/html; charset=utf-8");
    }

    private static string SurveyUrl(string storeId, Touchpoint touchpoint, StoreDirectory directory, PublicOptions site, TokenOptions tokens, TimeProvider clock)
    {
        var claims = new QrTokenClaims(tokens.ActiveKeyId, storeId, touchpoint, null, clock.GetUtcNow().AddDays(ValidDays));
        return site.SurveyUrl(QrToken.Create(claims, directory.StoreKey(storeId, tokens.ActiveKeyId)!));
    }
}
