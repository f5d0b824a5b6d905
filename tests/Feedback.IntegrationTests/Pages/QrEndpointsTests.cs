using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Feedback.Functions.Answers;
using Feedback.Functions.Pages;
using Feedback.Functions.Stores;
using Feedback.Functions.Tokens;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Pages;

public sealed partial class QrEndpointsTests(QrEndpointsTests.Fixture app) : IClassFixture<QrEndpointsTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    private const string SurveyPrefix = "https://feedback.example/s/";

    [Theory]
    [InlineData("qr")]
    [InlineData("qr?format=png")]
    [InlineData("poster")]
    public async Task WithoutTheAdminKey_IsUnauthorized(string path)
    {
        var store = await app.CreateStoreAsync();

        using var response = await app.Client.GetAsync($"/api/stores/{store}/{path}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, (await response.ProblemAsync())["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Svg_EncodesAFreshStaticSurveyUrlOfTheStoreAndTouchpoint()
    {
        var store = await app.CreateStoreAsync();

        using var response = await app.AdminClient().GetAsync($"/api/stores/{store}/qr?touchpoint=kiosk&format=svg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var url = SurveyUrl(response);
        var claims = Verify(url);
        Assert.Equal((store, Touchpoint.Kiosk, (string?)null), (claims.StoreId, claims.Touchpoint, claims.ReceiptId));
        Assert.InRange(claims.ExpiresAt, DateTimeOffset.UtcNow.AddDays(364), DateTimeOffset.UtcNow.AddDays(366));
        var svg = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.True(QrMatrix.Encodes(QrMatrix.FromSvg(svg), url), "The SVG is not the QR code of " + url);
        Assert.False(QrMatrix.Encodes(QrMatrix.FromSvg(svg), url[..^1] + (url[^1] == 'A' ? 'B' : 'A')));
    }

    [Fact]
    public async Task Png_EncodesASurveyUrlOfTheStore()
    {
        var store = await app.CreateStoreAsync();

        using var response = await app.AdminClient().GetAsync($"/api/stores/{store}/qr?format=png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var url = SurveyUrl(response);
        Assert.Equal((store, Touchpoint.Store), (Verify(url).StoreId, Verify(url).Touchpoint));
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.True(QrMatrix.Encodes(QrMatrix.FromPng(png), url), "The PNG is not the QR code of " + url);
    }

    [Theory]
    [InlineData("qr?format=gif", "format")]
    [InlineData("qr?touchpoint=fax", "touchpoint")]
    [InlineData("poster?lang=de", "lang")]
    public async Task BadQuery_IsAValidationProblemNamingTheField(string path, string field)
    {
        var store = await app.CreateStoreAsync();

        using var response = await app.AdminClient().GetAsync($"/api/stores/{store}/{path}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.ProblemAsync())["errors"]![field]);
    }

    [Theory]
    [InlineData("qr")]
    [InlineData("poster")]
    public async Task UnknownStore_IsNotFound(string path)
    {
        using var response = await app.AdminClient().GetAsync($"/api/stores/{Api.NewStoreId()}/{path}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Poster_IsAnA6PageWithTheQrInline_AndACallToActionInTheChosenLanguage()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(eligible: ["static"]));

        using var response = await app.AdminClient().GetAsync($"/api/stores/{store}/poster?lang=pl");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"pl\">", html, StringComparison.Ordinal);
        Assert.Contains("size: A6", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Jak Ci się u nas podobało?</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Za odpowiedź czeka na Ciebie mała nagroda.", html, StringComparison.Ordinal);
        Assert.Contains("Café " + store, html, StringComparison.Ordinal);
        var url = SurveyUrl(response);
        Assert.Equal(store, Verify(url).StoreId);
        var svg = SvgElement().Match(html).Value;
        Assert.True(QrMatrix.Encodes(QrMatrix.FromSvg(svg), url), "The poster's QR code is not the code of " + url);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        // The CSP allows exactly the poster's own inline style, by hash, and no script at all.
        var style = StyleElement().Match(html).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"style-src 'sha256-{hash}'", csp, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poster_WithoutLang_UsesTheStoresLanguage_AndPromisesNoRewardTheTokenCannotEarn()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(eligible: ["receipt"]), languages: ["sk", "en"]);

        using var response = await app.AdminClient().GetAsync($"/api/stores/{store}/poster");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Ako sa vám u nás páčilo?</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("odmen", html, StringComparison.Ordinal);
    }

    private static string SurveyUrl(HttpResponseMessage response)
    {
        var url = response.Headers.GetValues(QrEndpoints.SurveyUrlHeader).Single();
        Assert.StartsWith(SurveyPrefix, url, StringComparison.Ordinal);
        return url;
    }

    private QrTokenClaims Verify(string url)
    {
        var directory = app.App.Services.GetRequiredService<StoreDirectory>();
        Assert.Equal(QrTokenFailure.None, QrToken.TryVerify(url[SurveyPrefix.Length..], directory.SigningKey, DateTimeOffset.UtcNow, out var claims));
        return claims!;
    }

    [GeneratedRegex("<svg.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();
}
