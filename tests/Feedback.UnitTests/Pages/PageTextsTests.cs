using System.Text.Json;
using Feedback.Functions.Pages;
using Microsoft.Extensions.Primitives;

namespace Feedback.UnitTests.Pages;

public sealed class PageTextsTests
{
    private static readonly PageAssets Assets = new();

    [Theory]
    [InlineData("pl", "cs-CZ,cs;q=0.9", "pl")]
    [InlineData("SK", null, "sk")]
    [InlineData("de", "sk-SK,sk;q=0.9,en;q=0.8", "sk")]
    [InlineData(null, "de-DE,de;q=0.9,en;q=0.1", "en")]
    [InlineData(null, "en;q=0.4,pl;q=0.8", "pl")]
    [InlineData(null, "pl;q=0,de", "cs")]
    [InlineData(null, "de-AT", "cs")]
    [InlineData(null, null, "cs")]
    public void Negotiate_PrefersQuery_ThenAcceptLanguage_ThenStoreLanguages(string? query, string? acceptLanguage, string expected)
    {
        // The store speaks Hungarian first (no texts for it) and Czech second.
        var language = PageTexts.Negotiate(query, new StringValues(acceptLanguage), ["hu", "cs"]);

        Assert.Equal(expected, language);
    }

    [Fact]
    public void Negotiate_WithNothingUsable_FallsBackToEnglish() =>
        Assert.Equal("en", PageTexts.Negotiate("xx", new StringValues("de"), ["hu"]));

    [Fact]
    public void EveryLanguageFile_HasExactlyTheKeysOfTheEnglishOne_AndNoEmptyText()
    {
        var english = Keys("en");

        Assert.All(PageTexts.Languages, language =>
        {
            Assert.Equal(english, Keys(language));
            Assert.Equal(language, new PageTexts(Assets).Get(language, "language"));
        });
    }

    [Fact]
    public void CzechQuestion_IsTheOneTheIssueAskedFor() =>
        Assert.Equal("Jak pravděpodobné je, že byste nás doporučili přátelům nebo známým?", new PageTexts(Assets).Get("cs", "npsQuestion"));

    [Fact]
    public void Assets_AreEmbeddedWithTypesAndAStableVersion()
    {
        var script = Assets.Get("survey.js");

        Assert.Equal("text/javascript; charset=utf-8", script.ContentType);
        Assert.Equal("application/json; charset=utf-8", Assets.Get("i18n/pl.json").ContentType);
        Assert.Equal("text/css; charset=utf-8", Assets.Get("pages.css").ContentType);
        Assert.Matches("^[0-9a-f]{16}$", script.Version);
        Assert.Equal(script.Version, new PageAssets().Get("survey.js").Version);
        Assert.Equal("/assets/survey.js?v=" + script.Version, Assets.Url("survey.js"));
        Assert.Null(Assets.Find("../appsettings.json"));
    }

    [Theory]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("identity", null)]
    [InlineData("", null)]
    public void Asset_IsServedInTheSmallestAcceptedEncoding(string acceptEncoding, string? expected)
    {
        var (body, encoding) = Assets.Get("survey.js").For(acceptEncoding);

        Assert.Equal(expected, encoding);
        Assert.Equal(expected is null, body.Length == Assets.Get("survey.js").Body.Length);
    }

    private static SortedSet<string> Keys(string language)
    {
        using var document = JsonDocument.Parse(Assets.Get(PageTexts.I18nPath(language)).Body);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        Walk(document.RootElement, "", keys);
        return keys;
    }

    private static void Walk(JsonElement element, string prefix, SortedSet<string> keys)
    {
        foreach (var property in element.EnumerateObject())
        {
            var key = prefix + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Walk(property.Value, key + ".", keys);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(property.Value.GetString()), key);
                keys.Add(key);
            }
        }
    }
}
