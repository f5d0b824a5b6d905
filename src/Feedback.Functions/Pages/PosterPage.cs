using System.Security.Cryptography;
using System.Text;

namespace Feedback.Functions.Pages;

/// <summary>
/// A printable A6 poster. It must work as a single saved file, so its style is inline; the CSP allows
/// exactly that style (by hash) and nothing else, and there is no script at all.
/// </summary>
public static class PosterPage
{
    private const string Style = """
        @page { size: A6 portrait; margin: 0; }
        * { box-sizing: border-box; }
        html, body { margin: 0; background: #fff; color: #1b1f24; font-family: system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
        .poster { width: 105mm; height: 148mm; margin: 0 auto; padding: 8mm 8mm 6mm; display: flex; flex-direction: column; align-items: center; text-align: center; overflow: hidden; }
        .store { font-size: 11pt; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: #0b6e4f; margin: 0 0 3mm; }
        h1 { font-size: 20pt; line-height: 1.15; margin: 0 0 3mm; }
        .scan { font-size: 10.5pt; line-height: 1.35; margin: 0 0 4mm; }
        .qr { width: 62mm; height: 62mm; }
        .qr svg { width: 100%; height: 100%; display: block; }
        .reward { font-size: 10.5pt; font-weight: 700; margin: 4mm 0 0; padding: 2mm 4mm; border: 0.5mm dashed #0b6e4f; border-radius: 3mm; }
        .url { margin-top: auto; font-size: 6pt; color: #5b6470; word-break: break-all; }
        @media screen { body { background: #e9e6df; padding: 8mm 0; } .poster { background: #fff; box-shadow: 0 1mm 4mm rgba(0,0,0,.15); } }
        """;

    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; img-src data:; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static string Render(PageTexts texts, string language, string storeName, string surveyUrl, bool rewarded)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var title = texts.Get(language, "poster.title");
        var reward = rewarded ? $"""<p class="reward">{E(texts.Get(language, "poster.reward"))}</p>""" : "";
        return PageHtml.Shell(language, $"{storeName} – {title}", $"<style>{Style}</style>", "", $"""
            <main class="poster">
            <p class="store">{E(storeName)}</p>
            <h1>{E(title)}</h1>
            <p class="scan">{E(texts.Get(language, "poster.scan"))}</p>
            <div class="qr">{QrImages.Svg(surveyUrl)}</div>
            {reward}
            <p class="url">{E(surveyUrl)}</p>
            </main>
            """);
    }

    private static string E(string text) => PageHtml.E(text);
}
