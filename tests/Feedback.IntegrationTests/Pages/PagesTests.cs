using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Feedback.Functions.Answers;
using Feedback.Functions.Pages;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Pages;

public sealed partial class PagesTests(PagesTests.Fixture app) : IClassFixture<PagesTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    [Theory]
    [InlineData("?lang=pl", "cs-CZ", "pl")]
    [InlineData("", "sk-SK,sk;q=0.9", "sk")]
    [InlineData("", "de-DE", "cs")]
    [InlineData("?lang=xx", null, "cs")]
    public async Task SurveyPage_ChoosesTheLanguage_QueryThenBrowserThenStore(string query, string? acceptLanguage, string expected)
    {
        var store = await app.CreateStoreAsync(languages: ["hu", "cs", "en"]);
        var token = await app.MintTokenAsync(store);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/s/{token}{query}");
        if (acceptLanguage is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<html lang=\"{expected}\">", html, StringComparison.Ordinal);
        Assert.Contains($"data-i18n=\"/assets/i18n/{expected}.json?v=", html, StringComparison.Ordinal);
        Assert.Contains($"data-token=\"{token}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurveyPage_SendsStrictSecurityHeaders_AndHasNoInlineScriptOrStyle()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);

        using var response = await app.Client.GetAsync($"/s/{token}");

        Assert.Equal(PageSecurity.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self';", PageSecurity.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", PageSecurity.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        var scripts = ScriptTag().Matches(html);
        Assert.Equal(2, scripts.Count);
        Assert.All(scripts, s => Assert.Matches("src=\"/assets/[a-z]+\\.js\\?v=[0-9a-f]{16}\"", s.Value));
        Assert.DoesNotMatch(InlineHandlerOrStyle(), html);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurveyPage_TellsThePageWhetherARewardCanCome()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(eligible: ["receipt"]));
        var receipt = await app.MintTokenAsync(store, receiptId: "R-" + Guid.NewGuid().ToString("N")[..8]);
        var poster = await app.MintTokenAsync(store);

        Assert.Contains("data-reward=\"true\"", await app.Client.GetStringAsync($"/s/{receipt}"), StringComparison.Ordinal);
        Assert.Contains("data-reward=\"false\"", await app.Client.GetStringAsync($"/s/{poster}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurveyPage_ForATokenOfADeletedOrUnknownStore_IsTheFriendlyPage()
    {
        var token = Functions.Tokens.QrToken.Create(
            new(AppFixture.TokenKeyId, "no-such-store", Functions.Answers.Touchpoint.Store, null, DateTimeOffset.UtcNow.AddDays(1)),
            app.App.Services.GetRequiredService<Functions.Stores.StoreDirectory>().StoreKey("no-such-store", AppFixture.TokenKeyId)!);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/s/{token}");
        request.Headers.AcceptLanguage.ParseAdd("sk");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Tento QR kód nefunguje</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(PageSecurity.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task KioskPage_CarriesItsTimeouts_AndLinksEveryLanguage()
    {
        var html = await app.Client.GetStringAsync("/kiosk?idle=2&thanks=1&lang=pl");
        var fallback = await app.Client.GetStringAsync("/kiosk?idle=0&thanks=x");

        Assert.Contains("<html lang=\"pl\">", html, StringComparison.Ordinal);
        Assert.Contains("data-idle-ms=\"2000\" data-thanks-ms=\"1000\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-idle-ms=\"{PageEndpoints.DefaultKioskIdleSeconds * 1000}\" data-thanks-ms=\"{PageEndpoints.DefaultKioskThanksSeconds * 1000}\"",
            fallback, StringComparison.Ordinal);
        Assert.All(PageTexts.Languages, l => Assert.Contains($"/assets/i18n/{l}.json?v=", html, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Assets_VersionedUrlsCacheForAYear_RevalidateByETag_AndCompress()
    {
        var assets = app.App.Services.GetRequiredService<PageAssets>();
        var url = assets.Url("survey.js");

        using var response = await app.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var identity = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(assets.Get("survey.js").Body, identity);

        using var stale = await app.Client.GetAsync("/assets/survey.js?v=0000000000000000");
        Assert.Equal("no-cache", stale.Headers.CacheControl?.ToString());

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/assets/survey.js");
        revalidate.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await app.Client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var compressed = new HttpRequestMessage(HttpMethod.Get, url);
        compressed.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var gzipped = await app.Client.SendAsync(compressed);
        Assert.Equal("gzip", Assert.Single(gzipped.Content.Headers.ContentEncoding));
        await using var inflater = new GZipStream(await gzipped.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        await inflater.CopyToAsync(inflated);
        Assert.Equal(identity, inflated.ToArray());
    }

    [Theory]
    [InlineData("/assets/nope.js")]
    [InlineData("/assets/../appsettings.json")]
    [InlineData("/assets/%2e%2e/appsettings.json")]
    public async Task Assets_AnythingElse_IsNotFound(string path)
    {
        using var response = await app.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SurveyPage_AndEverythingItLoads_WeighUnder60Kilobytes()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);
        var html = await app.Client.GetStringAsync($"/s/{token}");
        var total = System.Text.Encoding.UTF8.GetByteCount(html);

        foreach (Match link in AssetLink().Matches(html))
        {
            total += (await app.Client.GetByteArrayAsync(link.Groups[1].Value)).Length;
        }

        Assert.Equal(4, AssetLink().Count(html)); // stylesheet, texts, two scripts
        Assert.InRange(total, 1_000, 60 * 1024);
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("""\s(on[a-z]+|style)=""")]
    private static partial Regex InlineHandlerOrStyle();

    [GeneratedRegex("""(?:href|src)="(/assets/[^"]+)""")]
    private static partial Regex AssetLink();
}
