using System.Net;
using System.Text.RegularExpressions;
using Feedback.Functions.Pages;
using Feedback.Functions.Rewards;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Pages;

/// <summary>What a kiosk needs beyond its page: the service worker for offline starts and the reward code as a QR image.</summary>
public sealed partial class KioskOfflineEndpointsTests(KioskOfflineEndpointsTests.Fixture app) : IClassFixture<KioskOfflineEndpointsTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    [Fact]
    public async Task ServiceWorker_IsServedFromTheRoot_NeverFromACache_AndKeepsTheCurrentVersionOfEveryKioskFile()
    {
        using var response = await app.Client.GetAsync("/kiosk-sw.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal(PageSecurity.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        var script = await response.Content.ReadAsStringAsync();
        var assets = app.App.Services.GetRequiredService<PageAssets>();
        var precache = Precache().Match(script).Groups[1].Value;
        string[] expected = ["\"/kiosk\"", .. new[] { "pages.css", "common.js", "kiosk.js", "i18n/cs.json", "i18n/sk.json", "i18n/pl.json", "i18n/en.json" }
            .Select(path => $"\"{assets.Url(path)}\"")];
        Assert.Equal(expected, precache.Split(','));

        // Every listed file is there to fetch, so the worker's install cannot fail on a missing one.
        foreach (var url in expected.Select(e => e.Trim('"')))
        {
            using var file = await app.Client.GetAsync(url);
            Assert.True(file.StatusCode == HttpStatusCode.OK, url);
        }
    }

    [Fact]
    public async Task RewardQr_EncodesTheCanonicalCode_AndDrawsNothingForACodeFailingItsCheck()
    {
        var code = RewardCode.New();

        using var response = await app.Client.GetAsync($"/api/rewards/{code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}/qr");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        var grid = QrMatrix.FromSvg(await response.Content.ReadAsStringAsync());
        Assert.True(QrMatrix.Encodes(grid, code), "The SVG is not the QR code of " + code);

        var broken = code[..^1] + (code[^1] == '0' ? '1' : '0');
        using var refused = await app.Client.GetAsync($"/api/rewards/{broken}/qr");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex(@"const PRECACHE = \[([^\]]*)\];")]
    private static partial Regex Precache();
}
