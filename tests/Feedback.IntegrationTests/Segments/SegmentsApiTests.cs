using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Segments;

public sealed class SegmentsApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static object Title(string text) => new { cs = text, sk = text, pl = text, en = text };

    public static object Visit => new
    {
        questions = new[]
        {
            new { key = "visit", title = Title("First visit?"), options = new[] { new { value = "first", title = Title("First") }, new { value = "regular", title = Title("Regular") } } },
        },
    };

    [Fact]
    public async Task Put_WithBadQuestions_Is400NamingTheFields_AndChangesNothing()
    {
        using var client = app.AdminClient();
        using var good = await client.PutAsJsonAsync("/api/segments", Visit);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);

        using var bad = await client.PutAsJsonAsync("/api/segments", new
        {
            questions = new object[]
            {
                new { key = "Visit!", title = new { en = "Only English" }, options = new[] { new { value = "first", title = Title("First") } } },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ProblemAsync())["errors"]!.AsObject();
        Assert.Equal(["questions[0].key", "questions[0].options", "questions[0].title"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        var stored = await client.GetFromJsonAsync<JsonObject>("/api/segments");
        Assert.Equal("visit", stored!["questions"]![0]!["key"]!.GetValue<string>());
        Assert.Equal("Regular", stored["questions"]![0]!["options"]![1]!["title"]!["pl"]!.GetValue<string>());
    }

    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static StringContent Questions(string title) => new(
        System.Text.Json.JsonSerializer.Serialize(
            new
            {
                questions = Enumerable.Range(0, 5).Select(q => new
                {
                    key = $"q{q}",
                    title = Title(title),
                    options = Enumerable.Range(0, 8).Select(o => new { value = $"o{o}", title = Title(title) }),
                }),
            },
            Unescaped),
        System.Text.Encoding.UTF8,
        "application/json");

    [Fact]
    public async Task Put_AsManyQuestionsAsAllowed_IsStoredWithItsLetters_OrA400WhenTheTitlesTogetherCannotBeStored()
    {
        using var client = app.AdminClient();
        // 180 titles of 60 Czech letters: 10,800 characters as stored, over the 32,000 if each č were a \u escape.
        var czech = string.Concat(Enumerable.Repeat("Příliš žluťoučký kůň", 3));
        using var fits = await client.PutAsync("/api/segments", Questions(czech));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(czech, (await client.GetFromJsonAsync<JsonObject>("/api/segments"))!["questions"]![4]!["options"]![7]!["title"]!["pl"]!.GetValue<string>());

        // 180 titles of 200 characters each pass the per-title rule but cannot be stored together.
        using var tooLong = await client.PutAsync("/api/segments", Questions(new string('a', 200)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(["questions"], (await tooLong.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(czech, (await client.GetFromJsonAsync<JsonObject>("/api/segments"))!["questions"]![0]!["title"]!["cs"]!.GetValue<string>());
    }

    [Fact]
    public async Task Segments_NeedTheAdminKey()
    {
        using var response = await app.Client.GetAsync("/api/segments");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var put = await app.Client.PutAsJsonAsync("/api/segments", Visit);
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
    }

    [Fact]
    public async Task Answer_WithAnUnknownSegmentKeyOrValue_Is400NamingIt()
    {
        using (var put = await app.AdminClient().PutAsJsonAsync("/api/segments", Visit))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);
        var (_, deviceKey) = await app.EnrollDeviceAsync(store);

        using var unknownKey = await app.SubmitAsync(new { token, score = 9, segments = new { age = "30" } });
        using var unknownValue = await app.SubmitAsync(new { score = 9, segments = new { visit = "third" } }, deviceKey);
        using var notText = await app.SubmitAsync(new { token, score = 9, segments = new { visit = 1 } });

        Assert.Equal(HttpStatusCode.BadRequest, unknownKey.StatusCode);
        Assert.Equal(["segments.age"], (await unknownKey.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.BadRequest, unknownValue.StatusCode);
        var valueErrors = (await unknownValue.ProblemAsync())["errors"]!.AsObject();
        Assert.Contains("third", valueErrors["segments.visit"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, notText.StatusCode);
        Assert.True((await notText.ProblemAsync())["errors"]!.AsObject().ContainsKey("segments.visit"));
        await app.SubmitAcceptedAsync(new { token, score = 9, segments = new { visit = "first" } });
    }
}
