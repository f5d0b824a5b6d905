using Feedback.Functions.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Dashboard;

/// <summary>
/// The dashboard for the people who run the stores: a shell like the survey's (same stylesheet, same strict CSP). Its
/// script signs in with an access key and shows only what the read API gives that key. The survey's texts label the
/// driver reasons as the customers saw them.
/// </summary>
public static class DashboardEndpoints
{
    public static readonly IReadOnlyList<string> Languages = PageTexts.Languages;

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", Page).WithName("DashboardPage").WithPageHeaders().ExcludeFromDescription();
        return app;
    }

    /// <summary>The texts of the dashboard in one language: wwwroot/dashboard/i18n/&lt;lang&gt;.json.</summary>
    public static string TextsPath(string language) => $"dashboard/i18n/{language}.json";

    public static ContentHttpResult Page(string? lang, HttpContext context, PageAssets assets, PageTexts texts)
    {
        // The page holds no figures itself, but it must never be served stale next to a fresh script.
        context.Response.Headers.CacheControl = "no-cache";
        var language = PageTexts.Negotiate(lang, context.Request.Headers.AcceptLanguage, []);
        var i18n = assets.Url(TextsPath(language));
        string[] head =
        [
            $"""<link rel="stylesheet" href="{PageHtml.E(assets.Url("pages.css"))}">""",
            $"""<link rel="stylesheet" href="{PageHtml.E(assets.Url("dashboard/dashboard.css"))}">""",
            $"""<link rel="preload" href="{PageHtml.E(i18n)}" as="fetch" crossorigin>""",
            $"""<script src="{PageHtml.E(assets.Url("common.js"))}" defer></script>""",
            $"""<script src="{PageHtml.E(assets.Url("dashboard/chart.js"))}" defer></script>""",
            $"""<script src="{PageHtml.E(assets.Url("dashboard/panels.js"))}" defer></script>""",
            $"""<script src="{PageHtml.E(assets.Url("dashboard/dashboard.js"))}" defer></script>""",
        ];
        var body = $" class=\"dashboard\" data-i18n=\"{PageHtml.E(i18n)}\" data-survey-i18n=\"{PageHtml.E(assets.Url(PageTexts.I18nPath(language)))}\" data-lang=\"{language}\" data-languages=\"{string.Join(',', Languages)}\"";
        var main = $"""<main id="app" class="app wide"><p class="loading">{PageHtml.E(texts.Get(language, "loading"))}</p><noscript><p>{PageHtml.E(texts.Get(language, "noscript"))}</p></noscript></main>""";
        return TypedResults.Content(PageHtml.Shell(language, "Feedback dashboard", string.Join('\n', head), body, main), "text/html; charset=utf-8");
    }
}
