using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Feedback.BrowserTests.Infrastructure;
using Feedback.Functions.Answers;
using Feedback.Functions.Stores;
using Feedback.Functions.Tokens;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Feedback.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed partial class SurveyTests(BrowserFixture app)
{
    private const string CzechQuestion = "Jak pravděpodobné je, že byste nás doporučili přátelům nebo známým?";

    static SurveyTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task PhoneInCzech_AnswerWithDetails_ShowsTheRewardCodeFromTheServer()
    {
        var store = await app.CreateStoreAsync();
        var url = await app.SurveyUrlAsync(store, BrowserFixture.NewReceiptId());
        Assert.StartsWith(app.BaseAddress + "s/", url, StringComparison.Ordinal);
        await using var context = await app.PhoneAsync("cs-CZ");
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, response) => responses.Add(response);

        await page.GotoAsync(url);
        await Expect(page.Locator("legend").First).ToHaveTextAsync(CzechQuestion);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "cs");
        await Expect(page.Locator(".score .opt")).ToHaveCountAsync(11);
        await AssertLoadedUnder60KilobytesFromThisOriginOnlyAsync(responses);

        await page.Locator(".score .opt[data-value='9']").ClickAsync();
        await page.Locator(".csat .opt[data-value='5']").ClickAsync();
        await page.Locator(".chip[data-reason='staff']").ClickAsync();
        await page.Locator("#comment").FillAsync("Skvělá káva, milá obsluha.");
        await page.ScreenshotAsync(new() { Path = Screenshot("survey-cs-phone.png"), FullPage = true });

        var submitted = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("submit").ClickAsync(),
            r => r.Url.EndsWith("/api/feedback", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(202, submitted.Status);
        var statusUrl = (await submitted.JsonAsync())!.Value.GetProperty("statusUrl").GetString()!;

        await Expect(page.GetByTestId("thanks").Locator("h1")).ToHaveTextAsync("Děkujeme!");
        var code = page.GetByTestId("reward-code");
        await Expect(code).ToHaveTextAsync(RewardCodePattern(), new() { Timeout = 30_000 });
        using var client = app.Client();
        var status = (await client.GetFromJsonAsync<JsonObject>(statusUrl))!;
        Assert.Equal(status["reward"]!["code"]!.GetValue<string>(), await code.TextContentAsync());
        await Expect(page.GetByTestId("reward")).ToContainTextAsync("Ledový čaj o 20 % levněji");
        await Expect(page.GetByTestId("reward-waiting")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Screenshot("survey-thanks-reward.png"), FullPage = true });

        var stored = Assert.Single(await app.WaitForAsync(store, 1));
        Assert.Equal((9, 5, "[\"staff\"]", "Skvělá káva, milá obsluha.", "store", "cs"),
            (stored.Score, stored.Csat, stored.Reasons, stored.Comment, stored.Touchpoint, stored.Language));
    }

    [Fact]
    public async Task DoubleClickOnSubmit_SendsOneRequest_AndStoresOneAnswer()
    {
        var store = await app.CreateStoreAsync();
        var url = await app.SurveyUrlAsync(store);
        await using var context = await app.PhoneAsync();
        var page = await context.NewPageAsync();
        var posts = new List<IRequest>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/api/feedback", StringComparison.Ordinal))
            {
                posts.Add(request);
            }
        };

        await page.GotoAsync(url);
        await page.Locator(".score .opt[data-value='7']").ClickAsync();
        await page.GetByTestId("submit").DblClickAsync();
        await Expect(page.GetByTestId("thanks")).ToBeVisibleAsync();

        var stored = await app.WaitForAsync(store, 1);
        Assert.Single(posts);
        Assert.Equal(7, Assert.Single(stored).Score);
        Assert.Equal(1, await app.CountedAsync(store));
    }

    [Fact]
    public async Task ServerAnswering503Once_ShowsRetry_AndTheRetryWithTheSameIdSucceedsOnce()
    {
        var store = await app.CreateStoreAsync();
        var url = await app.SurveyUrlAsync(store, BrowserFixture.NewReceiptId());
        await using var context = await app.PhoneAsync();
        var page = await context.NewPageAsync();
        var bodies = await FailFirstSubmitAsync(page, reachServer: false);

        await page.GotoAsync(url);
        await page.Locator(".score .opt[data-value='4']").ClickAsync();
        await page.GetByTestId("submit").ClickAsync();

        await Expect(page.GetByTestId("error")).ToHaveTextAsync("Odpověď se nepodařilo odeslat. Zkontrolujte připojení a zkuste to znovu.");
        await Expect(page.GetByTestId("submit")).ToHaveTextAsync("Zkusit znovu");
        await Expect(page.GetByTestId("thanks")).ToHaveCountAsync(0);
        await page.GetByTestId("submit").ClickAsync();
        await Expect(page.GetByTestId("thanks")).ToBeVisibleAsync();

        Assert.Equal(2, bodies.Count);
        var ids = bodies.Select(b => JsonNode.Parse(b)!["id"]!.GetValue<string>()).ToArray();
        Assert.Equal(ids[0], ids[1]);
        Assert.Matches("^[A-Za-z0-9_-]{8,64}$", ids[0]);
        var stored = Assert.Single(await app.WaitForAsync(store, 1));
        Assert.Equal((ids[0], 4), (stored.Id, stored.Score));
    }

    [Fact]
    public async Task AnswerThatFailedAfterTheServerClaimedTheReceipt_GoesThroughAfterAReload_WithTheSameId()
    {
        var store = await app.CreateStoreAsync();
        var url = await app.SurveyUrlAsync(store, BrowserFixture.NewReceiptId());
        await using var context = await app.PhoneAsync();
        var page = await context.NewPageAsync();
        var bodies = await FailFirstSubmitAsync(page, reachServer: true);

        await page.GotoAsync(url);
        await page.Locator(".score .opt[data-value='3']").ClickAsync();
        await page.GetByTestId("submit").ClickAsync();
        await Expect(page.GetByTestId("error")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await page.Locator(".score .opt[data-value='3']").ClickAsync();
        await page.GetByTestId("submit").ClickAsync();

        await Expect(page.GetByTestId("thanks")).ToBeVisibleAsync();
        var ids = bodies.Select(b => JsonNode.Parse(b)!["id"]!.GetValue<string>()).ToArray();
        Assert.Equal(2, ids.Length);
        Assert.Equal(ids[0], ids[1]);
        // Both tries carry the store's day the page was first opened on, so a retry after midnight counts on it too.
        var today = Feedback.Functions.Answers.StoreDay.LocalDate(DateTimeOffset.UtcNow, "Europe/Prague").ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(bodies, b => Assert.Equal(today, JsonNode.Parse(b)!["day"]!.GetValue<string>()));
        var stored = Assert.Single(await app.WaitForAsync(store, 1));
        Assert.Equal((ids[0], 3), (stored.Id, stored.Score));
    }

    [Fact]
    public async Task InvalidOrExpiredToken_ShowsAFriendlyPageInTheCustomersLanguage()
    {
        var store = await app.CreateStoreAsync();
        var valid = await app.SurveyUrlAsync(store);
        var tampered = valid[..^1] + (valid[^1] == 'A' ? 'B' : 'A');
        var directory = app.Services.GetRequiredService<StoreDirectory>();
        var expired = QrToken.Create(new QrTokenClaims("b1", store, Touchpoint.Store, null, DateTimeOffset.UtcNow.AddDays(-1)), directory.StoreKey(store, "b1")!);
        await using var context = await app.PhoneAsync("cs-CZ");
        var page = await context.NewPageAsync();

        foreach (var url in new[] { "s/v1.not-a-token", tampered })
        {
            var response = await page.GotoAsync(url);
            Assert.Equal(404, response!.Status);
            Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
            await Expect(page.GetByTestId("unavailable").Locator("h1")).ToHaveTextAsync("Tento QR kód nefunguje");
            await Expect(page.Locator("form")).ToHaveCountAsync(0);
        }

        var gone = await page.GotoAsync("s/" + expired + "?lang=pl");
        Assert.Equal(410, gone!.Status);
        await Expect(page.GetByTestId("unavailable").Locator("h1")).ToHaveTextAsync("Kod QR wygasł");
        Assert.DoesNotContain("\"status\"", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommentWithMarkup_IsShownAsText_NeverRuns_AndIsStoredVerbatim()
    {
        const string comment = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"><b>bold</b>";
        var store = await app.CreateStoreAsync();
        var url = await app.SurveyUrlAsync(store);
        await using var context = await app.PhoneAsync();
        var page = await context.NewPageAsync();
        await WatchForInjectionAsync(page);

        await page.GotoAsync(url);
        await page.Locator(".score .opt[data-value='2']").ClickAsync();
        await page.Locator("#comment").FillAsync(comment);
        await page.GetByTestId("submit").ClickAsync();

        await Expect(page.GetByTestId("recap-comment")).ToHaveTextAsync(comment);
        await Expect(page.GetByTestId("recap-comment").Locator("*")).ToHaveCountAsync(0);
        await Expect(page.Locator("script")).ToHaveCountAsync(2);
        await AssertNothingInjectedAsync(page);
        Assert.Equal(comment, Assert.Single(await app.WaitForAsync(store, 1)).Comment);
    }

    [Fact]
    public async Task KeyboardOnly_CompletesTheSurvey()
    {
        var store = await app.CreateStoreAsync();
        var url = await app.SurveyUrlAsync(store);
        await using var context = await app.Browser.NewContextAsync(new() { Locale = "en-GB", BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync(url);
        await Expect(page.Locator("legend").First).ToHaveTextAsync("How likely are you to recommend us to a friend or colleague?");
        await TabUntilAsync(page, "document.activeElement.name === 'score'");
        await page.Keyboard.PressAsync("Space");
        for (var i = 0; i < 8; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }

        await Expect(page.Locator(".score input:checked")).ToHaveValueAsync("8");
        await TabUntilAsync(page, "document.activeElement.id === 'comment'");
        await page.Keyboard.TypeAsync("Typed without a mouse");
        await TabUntilAsync(page, "document.activeElement.dataset.testid === 'submit'");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByTestId("thanks")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("recap-score")).ToHaveTextAsync("8/10");
        var stored = Assert.Single(await app.WaitForAsync(store, 1));
        Assert.Equal((8, "Typed without a mouse", "en"), (stored.Score, stored.Comment, stored.Language));
    }

    internal static async Task WatchForInjectionAsync(IPage page)
    {
        // Runs before the page's own scripts; CDP-injected, so the page's CSP does not apply to it.
        await page.AddInitScriptAsync("""
            window.__xss = 0;
            window.__violations = [];
            document.addEventListener("securitypolicyviolation", e => window.__violations.push(e.violatedDirective));
            """);
        page.Dialog += (_, dialog) => throw new InvalidOperationException("A dialog opened: " + dialog.Message);
    }

    internal static async Task AssertNothingInjectedAsync(IPage page)
    {
        Assert.Equal(0, await page.EvaluateAsync<int>("window.__xss"));
        Assert.Equal("", await page.EvaluateAsync<string>("window.__violations.join(',')"));
        Assert.Equal(0, await page.Locator("img").CountAsync());
    }

    internal static string Screenshot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    private async Task AssertLoadedUnder60KilobytesFromThisOriginOnlyAsync(List<IResponse> responses)
    {
        long bytes = 0;
        foreach (var response in responses.ToArray())
        {
            Assert.StartsWith(app.BaseAddress.ToString(), response.Url, StringComparison.Ordinal);
            var sizes = await response.Request.SizesAsync();
            bytes += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        }

        Assert.Equal(5, responses.Count); // page, stylesheet, two scripts, texts: nothing else
        Assert.InRange(bytes, 1, 60 * 1024);
    }

    /// <summary>
    /// The page's first answer POST fails with a 503 (after it reached the server, when <paramref name="reachServer"/>:
    /// the server then has it and claims its receipt); later ones go through. Returns every body the page sent.
    /// </summary>
    private static async Task<List<string>> FailFirstSubmitAsync(IPage page, bool reachServer)
    {
        var bodies = new List<string>();
        await page.RouteAsync("**/api/feedback", async route =>
        {
            bodies.Add(route.Request.PostData ?? "");
            if (bodies.Count > 1)
            {
                await route.ContinueAsync();
                return;
            }

            if (reachServer)
            {
                await using var reached = await route.FetchAsync();
            }

            await route.FulfillAsync(new() { Status = 503, ContentType = "application/problem+json", Body = """{"title":"Service unavailable","status":503}""" });
        });
        return bodies;
    }

    private static async Task TabUntilAsync(IPage page, string condition)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>(condition))
            {
                return;
            }
        }

        throw new InvalidOperationException("Keyboard focus never reached: " + condition);
    }

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$")]
    private static partial Regex RewardCodePattern();
}
