using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.FollowUp;

/// <summary>The edges of the case API: the most notes a case holds, dates at the end of the calendar, forged page tokens.</summary>
public sealed class FollowUpCaseLimitsTests(FollowUpCaseLimitsTests.Fixture app) : IClassFixture<FollowUpCaseLimitsTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    [Fact]
    public async Task FiftyNotesOfAThousandCharacters_NonAsciiOrNeedingEscapes_AreAllStored_AndReadBack()
    {
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var caseId = (await app.WaitForCaseAsync(store, await app.AnswerAsync(kiosk, 2)))["caseId"]!.GetValue<string>();
        // 997 UTF-16 code units each, and the note's number: 1,000 characters, the most a note may have.
        string[] kinds = [new string('ž', 997), new string('\u0001', 997), string.Concat(Enumerable.Repeat("😀", 498)) + "!", new string('"', 997)];
        var notes = Enumerable.Range(0, 50).Select(i => kinds[i % kinds.Length] + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        foreach (var note in notes)
        {
            using var response = await app.PatchCaseAsync(caseId, "contacted", note);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"note {notes.IndexOf(note)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        using var oneMore = await app.PatchCaseAsync(caseId, "contacted", "one more");
        var stored = await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}");
        Assert.Equal(notes, stored!["notes"]!.AsArray().Select(n => n!["note"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, oneMore.StatusCode);
        Assert.Equal(409, (await oneMore.ProblemAsync())["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("from=9999-12-01&to=9999-12-31", "from")]
    [InlineData("to=9999-12-31", "to")]
    [InlineData("from=0001-01-01&to=0001-01-02", "from")]
    [InlineData("from=2026-01-01&to=2101-01-01", "to")]
    public async Task Summary_WithADateAtTheEndsOfTheCalendar_IsAProblemNamingIt(string query, string field)
    {
        var store = await app.CreateStoreAsync();

        using var response = await app.AdminClient().GetAsync($"/api/cases/summary?storeId={store}&{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.ProblemAsync())["errors"]![field]);
    }

    [Theory]
    [InlineData("a b c")]
    [InlineData("1!8!c3RvcmU-\n1!8!c3RvcmU-")]
    [InlineData("ž ž")]
    [InlineData(" ")]
    [InlineData("\u0000 \u0001")]
    public async Task ListsWithAContinuationNotShapedLikeTheTables_AreAProblemNamingIt(string forged)
    {
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        await app.WaitForCaseAsync(store, await app.AnswerAsync(kiosk, 1));
        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged));

        using var cases = await app.AdminClient().GetAsync($"/api/cases?storeId={store}&pageSize=1&continuation={token}");
        using var deadLetters = await app.AdminClient().GetAsync($"/api/webhooks/deadletters?storeId={store}&continuation={token}");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (cases.StatusCode, deadLetters.StatusCode));
        Assert.NotNull((await cases.ProblemAsync())["errors"]!["continuation"]);
        Assert.NotNull((await deadLetters.ProblemAsync())["errors"]!["continuation"]);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("1!8!c3RvcmU- 1!8!c3RvcmU-")]
    [InlineData("1!999999!c3RvcmU-")]
    [InlineData("1!-5!c3RvcmU- %%%")]
    [InlineData(" ")]
    public async Task ListsWithAForgedContinuationOfTheTablesShape_AnswerAPageOrAProblem_NeverAnError(string forged)
    {
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        await app.WaitForCaseAsync(store, await app.AnswerAsync(kiosk, 1));
        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged));

        using var cases = await app.AdminClient().GetAsync($"/api/cases?storeId={store}&pageSize=1&continuation={token}");
        using var deadLetters = await app.AdminClient().GetAsync($"/api/webhooks/deadletters?storeId={store}&continuation={token}");

        Assert.Contains(cases.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
        Assert.Contains(deadLetters.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
    }
}
