namespace Feedback.Functions.Pages;

/// <summary>Security headers of every page and page asset.</summary>
public static class PageSecurity
{
    /// <summary>Scripts, styles and requests from this origin only: no inline script, no third parties.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Adds the headers before the handler runs, so every outcome carries them.</summary>
    public static TBuilder WithPageHeaders<TBuilder>(this TBuilder builder, string contentSecurityPolicy = ContentSecurityPolicy)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            Apply(context.HttpContext.Response, contentSecurityPolicy);
            return await next(context);
        });

    public static void Apply(HttpResponse response, string contentSecurityPolicy)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentSecurityPolicy = contentSecurityPolicy;
        // The survey URL carries the token: it must not leak to any other site in a Referer.
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
