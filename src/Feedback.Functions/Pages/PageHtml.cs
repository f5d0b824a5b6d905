using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Feedback.Functions.Pages;

/// <summary>
/// The HTML the server renders: small shells that name their script, stylesheet and texts and carry
/// the page's settings in data attributes (the CSP allows no inline script), and the one page that
/// needs no script at all, shown for a token that does not work.
/// </summary>
public sealed class PageHtml(PageAssets assets, PageTexts texts)
{
    // Keeps Czech, Slovak and Polish letters readable in the markup; still encodes <, >, &, quotes.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public string Survey(SurveyPageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var i18n = assets.Url(PageTexts.I18nPath(model.Language));
        return Document(model.Language, model.StoreName, "survey", "survey.js", i18n,
            [
                ("i18n", i18n),
                ("lang", model.Language),
                ("token", model.Token),
                ("store", model.StoreName),
                ("languages", string.Join(',', model.Languages)),
                ("reward", model.RewardPossible ? "true" : "false"),
                ("segments", model.SegmentsJson),
                ("day", model.Day),
            ],
            $"""<p class="loading">{E(texts.Get(model.Language, "loading"))}</p>""");
    }

    /// <param name="segmentsJson">The segment questions as JSON (every language's titles: the kiosk switches language on screen).</param>
    public string Kiosk(string language, int idleMilliseconds, int thanksMilliseconds, string segmentsJson)
    {
        var i18n = JsonSerializer.Serialize(PageTexts.Languages.ToDictionary(l => l, l => assets.Url(PageTexts.I18nPath(l))));
        return Document(language, "Feedback kiosk", "kiosk", "kiosk.js", null,
            [
                ("i18n", i18n),
                ("lang", language),
                ("languages", string.Join(',', PageTexts.Languages)),
                ("idle-ms", idleMilliseconds.ToString(CultureInfo.InvariantCulture)),
                ("thanks-ms", thanksMilliseconds.ToString(CultureInfo.InvariantCulture)),
                ("segments", segmentsJson),
            ],
            $"""<p class="loading">{E(texts.Get(language, "loading"))}</p>""");
    }

    /// <summary>
    /// A token that does not work — <paramref name="prefix"/> <c>invalid</c>, <c>expired</c> or <c>withdrawn</c>
    /// (its till was revoked) — as a friendly page in the customer's language, without script.
    /// </summary>
    public string Unavailable(string language, string prefix)
    {
        var title = texts.Get(language, prefix + "Title");
        return Document(language, title, "survey", null, null, [("page", prefix)],
            $"""
            <section class="card notice" data-testid="unavailable">
            <h1>{E(title)}</h1>
            <p>{E(texts.Get(language, prefix + "Text"))}</p>
            </section>
            """);
    }

    private string Document(
        string language, string title, string bodyClass, string? script, string? preload, IEnumerable<(string Name, string Value)> data, string main)
    {
        var head = new List<string>
        {
            $"""<link rel="stylesheet" href="{E(assets.Url("pages.css"))}">""",
        };
        if (preload is not null)
        {
            head.Add($"""<link rel="preload" href="{E(preload)}" as="fetch" crossorigin>""");
        }

        if (script is not null)
        {
            head.Add($"""<script src="{E(assets.Url("common.js"))}" defer></script>""");
            head.Add($"""<script src="{E(assets.Url(script))}" defer></script>""");
        }

        var attributes = string.Concat(data.Select(d => $" data-{d.Name}=\"{E(d.Value)}\""));
        var noscript = script is not null ? $"<noscript><p>{E(texts.Get(language, "noscript"))}</p></noscript>" : "";
        return Shell(language, title, string.Join('\n', head), $" class=\"{bodyClass}\"{attributes}", $"""<main id="app" class="app">{main}{noscript}</main>""");
    }

    /// <summary>The document every page shares; <paramref name="head"/>, <paramref name="bodyAttributes"/> and <paramref name="body"/> are markup.</summary>
    internal static string Shell(string language, string title, string head, string bodyAttributes, string body) => $"""
        <!doctype html>
        <html lang="{E(language)}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <link rel="icon" href="data:,">
        <title>{E(title)}</title>
        {head}
        </head>
        <body{bodyAttributes}>
        {body}
        </body>
        </html>

        """;

    internal static string E(string text) => Html.Encode(text);
}

/// <summary>What the survey shell needs to know about the token's store, and the segment questions (as JSON) it asks after the NPS question.</summary>
/// <param name="Day">The store's local day the page is opened on (yyyy-MM-dd): the answer sends it back, so it and its retries count on one day.</param>
public sealed record SurveyPageModel(string Language, string Token, string StoreName, IReadOnlyList<string> Languages, bool RewardPossible, string SegmentsJson = "[]", string Day = "");
