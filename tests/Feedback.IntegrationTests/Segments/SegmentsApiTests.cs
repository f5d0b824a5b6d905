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
