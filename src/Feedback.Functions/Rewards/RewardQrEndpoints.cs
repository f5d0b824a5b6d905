using Feedback.Functions.Http;
using Feedback.Functions.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Rewards;

/// <summary>
/// A reward code as a QR image, for the kiosk's thank-you screen: the customer photographs it, the till
/// scans it. The image shows only what the caller already has (the code), so it needs no key and no
/// storage read; a code failing its check symbol is not drawn.
/// </summary>
public static class RewardQrEndpoints
{
    public static IEndpointRouteBuilder MapRewardQr(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rewards/{code}/qr", Qr).WithName("GetRewardQr");
        return app;
    }

    public static Results<FileContentHttpResult, ProblemHttpResult> Qr(string code, HttpContext context)
    {
        if (!RewardCode.TryNormalize(code, out var canonical))
        {
            return Problems.NotFound("There is no such reward code.");
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'";
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(QrImages.Svg(canonical)), "image/svg+xml");
    }
}
