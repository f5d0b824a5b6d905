using System.Globalization;
using Feedback.Functions.Segments;
using Feedback.Functions.Stores;
using Feedback.Functions.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Pages;

/// <summary>
/// The customer-facing pages: the survey a QR code opens, the kiosk, and their static files. Each is
/// an HTTP function of its own, so the pages work under the Functions host as in standalone mode.
/// </summary>
public static class PageEndpoints
{
    public const int DefaultKioskIdleSeconds = 45;
    public const int DefaultKioskThanksSeconds = 6;

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/s/{token}", SurveyAsync).WithName("SurveyPage").WithPageHeaders().ExcludeFromDescription();
        app.MapGet("/kiosk", KioskAsync).WithName("KioskPage").WithPageHeaders().ExcludeFromDescription();
        app.MapGet("/assets/{*path}", Asset).WithName("PageAssets").WithPageHeaders().ExcludeFromDescription();
        app.MapQrEndpoints();
        return app;
    }

    /// <summary>The survey for a QR token; a friendly page (404; 410 when expired; 403 when its till was withdrawn) when the token does not work.</summary>
    public static async Task<ContentHttpResult> SurveyAsync(
        string token, string? lang, HttpContext context, StoreDirectory directory, StoreCache stores, SegmentDefinitions segments, PageHtml html,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        var (failure, claims) = await directory.VerifyTokenAsync(token, clock.GetUtcNow(), cancellationToken);
        var store = failure == QrTokenFailure.None ? await stores.GetAsync(claims!.StoreId, cancellationToken) : null;
        var language = PageTexts.Negotiate(lang, context.Request.Headers.AcceptLanguage, store?.Languages ?? []);
        if (store is null)
        {
            return failure switch
            {
                QrTokenFailure.Expired => Html(html.Unavailable(language, "expired"), StatusCodes.Status410Gone),
                QrTokenFailure.RevokedDevice => Html(html.Unavailable(language, "withdrawn"), StatusCodes.Status403Forbidden),
                _ => Html(html.Unavailable(language, "invalid"), StatusCodes.Status404NotFound),
            };
        }

        var languages = store.Languages.Where(PageTexts.Languages.Contains).Append(language).Distinct().ToArray();
        return Html(html.Survey(new SurveyPageModel(
            language, token, store.Name, languages, RewardPossible(store, claims!), await SegmentsJsonAsync(segments, cancellationToken),
            store.DayOf(clock.GetUtcNow()).Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// The kiosk. <c>?idle=</c> and <c>?thanks=</c> (seconds) set how long an unfinished answer and the
    /// thank-you screen stay before the kiosk resets; the device key is entered on the kiosk itself.
    /// </summary>
    public static async Task<ContentHttpResult> KioskAsync(
        string? lang, string? idle, string? thanks, HttpContext context, PageHtml html, SegmentDefinitions segments, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-cache";
        var language = PageTexts.Negotiate(lang, context.Request.Headers.AcceptLanguage, []);
        return Html(html.Kiosk(
            language, Seconds(idle, DefaultKioskIdleSeconds, 3600) * 1000, Seconds(thanks, DefaultKioskThanksSeconds, 60) * 1000,
            await SegmentsJsonAsync(segments, cancellationToken)));
    }

    private static async Task<string> SegmentsJsonAsync(SegmentDefinitions segments, CancellationToken cancellationToken) =>
        System.Text.Json.JsonSerializer.Serialize((await segments.GetAsync(cancellationToken)).Questions, Http.JsonBody.Options);

    /// <summary>A static file; versioned URLs (<c>?v=</c> matching the content hash) are cacheable for a year.</summary>
    public static Results<FileContentHttpResult, StatusCodeHttpResult, NotFound> Asset(string path, string? v, HttpContext context, PageAssets assets)
    {
        if (assets.Find(path) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.Vary = "Accept-Encoding";
        headers.CacheControl = v == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var (body, encoding) = asset.For(context.Request.Headers.AcceptEncoding.ToString());
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        return TypedResults.Bytes(body, asset.ContentType);
    }

    private static bool RewardPossible(Store store, QrTokenClaims claims) =>
        store.Reward?.Allows(claims.ReceiptId is null ? RewardBasis.Static : RewardBasis.Receipt) == true;

    private static int Seconds(string? text, int fallback, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 && seconds <= max ? seconds : fallback;

    private static ContentHttpResult Html(string html, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
}
