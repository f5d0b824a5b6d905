using System.Net;
using System.Net.Http.Json;
using Feedback.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Feedback.BrowserTests;

/// <summary>The chain's segment questions on the survey and the kiosk: after the score, optional, in the page's language, sent with the answer.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SegmentQuestionTests(BrowserFixture app)
{
    static SegmentQuestionTests() => SetDefaultExpectTimeout(15_000);

    private static object Title(string cs, string en) => new { cs, sk = cs, pl = cs, en };

    private async Task PutSegmentsAsync(object[] questions)
    {
        using var client = app.Client(admin: true);
        using var response = await client.PutAsJsonAsync("/api/segments", new { questions });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static readonly object[] Visit =
    [
        new
        {
            key = "visit",
            title = Title("Jste u nás poprvé?", "Is this your first visit?"),
            options = new[] { new { value = "first", title = Title("Poprvé", "First visit") }, new { value = "regular", title = Title("Chodím pravidelně", "I come regularly") } },
        },
    ];

    [Fact]
    public async Task Survey_AsksTheSegmentQuestionAfterTheScore_InThePageLanguage_AndTheAnswerCarriesIt()
    {
        await PutSegmentsAsync(Visit);
        try
        {
            var store = await app.CreateStoreAsync();
            await using var context = await app.PhoneAsync("cs-CZ");
            var page = await context.NewPageAsync();
            await page.GotoAsync(await app.SurveyUrlAsync(store));

            var question = page.Locator("fieldset[data-segment='visit']");
            await Expect(question).ToBeHiddenAsync();   // asked after the score
            await page.Locator(".score .opt[data-value='10']").ClickAsync();
            await Expect(question.Locator("legend")).ToHaveTextAsync("Jste u nás poprvé? (nepovinné)");
            await Expect(question.Locator(".chip")).ToHaveTextAsync(["Poprvé", "Chodím pravidelně"]);
            await question.Locator(".chip[data-option='regular']").ClickAsync();
            await page.ScreenshotAsync(new() { Path = SurveyTests.Screenshot("survey-segment.png"), FullPage = true });

            var submitted = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("submit").ClickAsync(),
                r => r.Url.EndsWith("/api/feedback", StringComparison.Ordinal) && r.Request.Method == "POST");
            Assert.Equal(202, submitted.Status);
            Assert.Equal("regular", submitted.Request.PostDataJSON()!.Value.GetProperty("segments").GetProperty("visit").GetString());

            var stored = Assert.Single(await app.WaitForAsync(store, 1));
            Assert.Equal((10, """{"visit":"regular"}"""), (stored.Score, stored.Segments));
        }
        finally
        {
            await PutSegmentsAsync([]);
        }
    }

    [Fact]
    public async Task Survey_WithTheSegmentQuestionSkipped_SendsNoSegments()
    {
        await PutSegmentsAsync(Visit);
        try
        {
            var store = await app.CreateStoreAsync(languages: ["en"]);
            await using var context = await app.PhoneAsync("en-GB");
            var page = await context.NewPageAsync();
            await page.GotoAsync(await app.SurveyUrlAsync(store));

            await page.Locator(".score .opt[data-value='4']").ClickAsync();
            await Expect(page.Locator("fieldset[data-segment='visit'] legend")).ToHaveTextAsync("Is this your first visit? (optional)");
            var submitted = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("submit").ClickAsync(),
                r => r.Url.EndsWith("/api/feedback", StringComparison.Ordinal) && r.Request.Method == "POST");

            Assert.Equal(202, submitted.Status);
            Assert.False(submitted.Request.PostDataJSON()!.Value.TryGetProperty("segments", out _));
            Assert.Null(Assert.Single(await app.WaitForAsync(store, 1)).Segments);
        }
        finally
        {
            await PutSegmentsAsync([]);
        }
    }

    [Fact]
    public async Task Kiosk_AsksTheSegmentQuestionWithTheReasons_InTheChosenLanguage_AndUploadsIt()
    {
        await PutSegmentsAsync(Visit);
        try
        {
            var store = await app.CreateStoreAsync();
            var key = await app.EnrollKioskAsync(store);
            await using var context = await app.TabletAsync("en-US");
            var page = await context.NewPageAsync();
            await page.GotoAsync("kiosk");
            await page.Locator("#device-key").FillAsync(key);
            await page.Locator("#kiosk-language").SelectOptionAsync("cs");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save and start" }).ClickAsync();

            await page.GetByTestId("start").Locator("button.score[data-value='7']").ClickAsync();
            var question = page.GetByTestId("details").Locator("[data-segment='visit']");
            await Expect(question.Locator("button.chip")).ToHaveTextAsync(["Poprvé", "Chodím pravidelně"]);
            await question.Locator("[data-option='regular']").ClickAsync();
            await question.Locator("[data-option='first']").ClickAsync();   // one choice: the second replaces the first
            await Expect(question.Locator("[aria-pressed='true']")).ToHaveTextAsync("Poprvé");
            await page.GetByTestId("send").ClickAsync();

            var stored = Assert.Single(await app.WaitForAsync(store, 1));
            Assert.Equal((7, "kiosk", """{"visit":"first"}"""), (stored.Score, stored.Touchpoint, stored.Segments));
        }
        finally
        {
            await PutSegmentsAsync([]);
        }
    }

    [Fact]
    public async Task Kiosk_AnswerQueuedBeforeTheQuestionWasRemoved_UploadsWithoutItsSegments_RatherThanBeLost()
    {
        await PutSegmentsAsync(Visit);
        try
        {
            var store = await app.CreateStoreAsync();
            var key = await app.EnrollKioskAsync(store);
            await using var context = await app.TabletAsync("cs-CZ");
            var uploads = new List<int>();
            var held = true;
            await context.RouteAsync("**/api/feedback/batch", async route =>
            {
                if (held)
                {
                    await route.AbortAsync();
                    return;
                }

                var response = await route.FetchAsync();
                lock (uploads)
                {
                    uploads.Add((int)response.Status);
                }

                await route.FulfillAsync(new() { Response = response });
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync("kiosk#key=" + Uri.EscapeDataString(key));

            await page.GetByTestId("start").Locator("button.score[data-value='9']").ClickAsync();
            await page.GetByTestId("details").Locator("[data-segment='visit'] [data-option='first']").ClickAsync();
            await page.GetByTestId("send").ClickAsync();
            // Held back: it waits in the kiosk's queue.
            for (var deadline = DateTime.UtcNow.AddSeconds(10); (await KioskQueue.IdsAsync(page)).Length == 0 && DateTime.UtcNow < deadline;)
            {
                await page.WaitForTimeoutAsync(100);
            }

            Assert.Single(await KioskQueue.IdsAsync(page));

            await PutSegmentsAsync([]);   // the question is gone while the answer waits
            held = false;

            var stored = Assert.Single(await app.WaitForAsync(store, 1));
            Assert.Equal((9, (string?)null), (stored.Score, stored.Segments));
            Assert.Equal(1, await app.CountedAsync(store));
            Assert.Equal([200, 200], uploads.Take(2));   // refused for its segment (a 200 with the item's errors), then accepted without
        }
        finally
        {
            await PutSegmentsAsync([]);
        }
    }
}
