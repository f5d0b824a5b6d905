using System.Net;
using System.Text.RegularExpressions;
using Feedback.Functions.Pages;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Pages;

/// <summary>The dashboard shell: the survey's strict headers, its language, and nothing from another origin.</summary>
public sealed partial class DashboardPageTests(DashboardPageTests.Fixture app) : IClassFixture<DashboardPageTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    [Theory]
    [InlineData("?lang=pl", "cs-CZ", "pl")]
    [InlineData("", "sk-SK,sk;q=0.9", "sk")]
    [InlineData("", "de-DE", "en")]
    public async Task Dashboard_ChoosesTheLanguage_AndNamesItsTexts(string query, string acceptLanguage, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard" + query);
        request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<html lang=\"{expected}\">", html, StringComparison.Ordinal);
        Assert.Contains($"data-i18n=\"/assets/dashboard/i18n/{expected}.json?v=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_SendsTheStrictHeaders_LoadsOnlyItsOwnFiles_AndHoldsNoFigure()
    {
        using var response = await app.Client.GetAsync("/dashboard");

        Assert.Equal(PageSecurity.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        var scripts = ScriptTag().Matches(html);
        Assert.Equal(4, scripts.Count);
        Assert.All(scripts, s => Assert.Matches("src=\"/assets/[a-z/]+\\.js\\?v=[0-9a-f]{16}\"", s.Value));
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);

        foreach (var asset in new[] { "dashboard/dashboard.js", "dashboard/chart.js", "dashboard/panels.js", "dashboard/dashboard.css" })
        {
            using var file = await app.Client.GetAsync("/assets/" + asset);
            var text = await file.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            // No external resource: the only absolute URL is the SVG namespace.
            Assert.DoesNotMatch(@"https?://(?!www\.w3\.org/2000/svg)", text);
            Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
            Assert.DoesNotContain("localStorage", text, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
