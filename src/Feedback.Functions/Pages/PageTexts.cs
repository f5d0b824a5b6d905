using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Feedback.Functions.Pages;

/// <summary>
/// The customer-facing texts, one resource file per language (wwwroot/i18n/&lt;lang&gt;.json). The
/// browser reads the same files the server uses for the pages it renders itself.
/// </summary>
public sealed class PageTexts
{
    public static readonly IReadOnlyList<string> Languages = ["cs", "sk", "pl", "en"];

    private readonly Dictionary<string, JsonElement> _texts = new(StringComparer.Ordinal);

    public PageTexts(PageAssets assets)
    {
        ArgumentNullException.ThrowIfNull(assets);
        foreach (var language in Languages)
        {
            using var document = JsonDocument.Parse(assets.Get(I18nPath(language)).Body);
            _texts[language] = document.RootElement.Clone();
        }
    }

    public static string I18nPath(string language) => $"i18n/{language}.json";

    /// <summary>A text by dotted key, e.g. "poster.title".</summary>
    public string Get(string language, string key)
    {
        var node = _texts[language];
        foreach (var part in key.Split('.'))
        {
            node = node.GetProperty(part);
        }

        return node.GetString() ?? "";
    }

    /// <summary>
    /// The page language: an explicit <c>?lang=</c>, then the browser's <c>Accept-Language</c> in order
    /// of preference, then the store's languages, then <paramref name="last"/>. Only languages we have
    /// texts for are chosen; regional variants count as their language (sk-SK is sk).
    /// </summary>
    public static string Negotiate(string? query, StringValues acceptLanguage, IEnumerable<string> storeLanguages, string last = "en")
    {
        if (Supported(query) is { } explicitChoice)
        {
            return explicitChoice;
        }

        if (StringWithQualityHeaderValue.TryParseList(acceptLanguage, out var ranges))
        {
            var preferred = ranges
                .Select((range, index) => (Language: Supported(range.Value.Value), Quality: range.Quality ?? 1, index))
                .Where(r => r.Language is not null && r.Quality > 0)
                .OrderByDescending(r => r.Quality)
                .ThenBy(r => r.index)
                .Select(r => r.Language)
                .FirstOrDefault();
            if (preferred is not null)
            {
                return preferred;
            }
        }

        return storeLanguages.Select(Supported).FirstOrDefault(l => l is not null) ?? last;
    }

    private static string? Supported(string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return null;
        }

        var dash = tag.IndexOf('-', StringComparison.Ordinal);
        var primary = (dash < 0 ? tag : tag[..dash]).ToLowerInvariant();
        return Languages.Contains(primary) ? primary : null;
    }
}
