using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.FollowUp;

public sealed class FollowUpCasesApiTests(FollowUpCasesApiTests.Fixture app) : IClassFixture<FollowUpCasesApiTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    [Fact]
    public async Task Cases_ListNewestFirst_InPagesJoinedByTheContinuation()
    {
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await app.AnswerAsync(kiosk, i));
            await app.WaitForCaseAsync(store, ids[^1]);
        }

        var first = await app.CasesPageAsync(store, pageSize: 2);
        var second = await app.CasesPageAsync(store, pageSize: 2, continuation: first["continuation"]!.GetValue<string>());

        Assert.Equal([ids[2], ids[1]], first["items"]!.AsArray().Select(c => c!["feedbackId"]!.GetValue<string>()));
        Assert.Equal([ids[0]], second["items"]!.AsArray().Select(c => c!["feedbackId"]!.GetValue<string>()));
        Assert.Null(second["continuation"]);
    }

    [Fact]
    public async Task StoreScores_CarryTheClosingTheLoopFigures_OfTheSameDates()
    {
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var detractor = await app.AnswerAsync(kiosk, 1);
        var caseId = (await app.WaitForCaseAsync(store, detractor))["caseId"]!.GetValue<string>();
        using var contacted = await app.PatchCaseAsync(caseId, "contacted", "Called back");
        var today = Api.TodayIn("Europe/Prague").ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var scores = await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/scores?scope=store:{store}&period=day&from={today}&to={today}");

        var loop = scores!["closingTheLoop"]!;
        Assert.Equal(1, loop["detractorCases"]!.GetValue<int>());
        Assert.Equal(1, loop["contacted"]!.GetValue<int>());
        Assert.Equal(1.0, loop["shareContactedWithinDeadline"]!.GetValue<double>());
    }

    [Fact]
    public async Task Case_IsContactedThenResolved_WithTimestampsAndNotes_AndStaysResolved()
    {
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var resolvedId = await app.AnswerAsync(kiosk, 2);
        var openId = await app.AnswerAsync(kiosk, 5);
        var caseId = (await app.WaitForCaseAsync(store, resolvedId))["caseId"]!.GetValue<string>();
        await app.WaitForCaseAsync(store, openId);

        using var contacted = await app.PatchCaseAsync(caseId, "contacted", "Called, apologised, voucher sent");
        var afterContact = (await contacted.Content.ReadFromJsonAsync<JsonObject>())!;
        using var resolved = await app.PatchCaseAsync(caseId, "resolved", "Customer came back");
        var afterResolve = (await resolved.Content.ReadFromJsonAsync<JsonObject>())!;
        using var reopened = await app.PatchCaseAsync(caseId, "contacted");

        Assert.Equal(HttpStatusCode.OK, contacted.StatusCode);
        Assert.Equal("contacted", afterContact["status"]!.GetValue<string>());
        Assert.NotNull(afterContact["firstContactedAt"]);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("resolved", afterResolve["status"]!.GetValue<string>());
        Assert.Equal(afterContact["firstContactedAt"]!.GetValue<DateTimeOffset>(), afterResolve["firstContactedAt"]!.GetValue<DateTimeOffset>());
        Assert.NotNull(afterResolve["resolvedAt"]);
        Assert.Equal(["Called, apologised, voucher sent", "Customer came back"],
            afterResolve["notes"]!.AsArray().Select(n => n!["note"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, reopened.StatusCode);
        Assert.Equal([resolvedId], (await app.CasesAsync(store, "closed")).Select(c => c["feedbackId"]!.GetValue<string>()));
        Assert.Equal([openId], (await app.CasesAsync(store, "open")).Select(c => c["feedbackId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CasesApi_NamesBadFields_HidesUnknownCases_AndNeedsTheAdminKey()
    {
        var store = await app.CreateStoreAsync();

        using var badStatus = await app.AdminClient().GetAsync($"/api/cases?storeId={store}&status=lost&pageSize=0");
        using var badPatch = await app.PatchCaseAsync($"{store}.abcdefgh12", "closed");
        using var unknown = await app.PatchCaseAsync($"{store}.abcdefgh12", "contacted");
        using var unknownStore = await app.AdminClient().GetAsync("/api/cases?storeId=no-such-store");
        using var anonymous = await app.App.CreateClient().GetAsync($"/api/cases?storeId={store}");

        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        var errors = (await badStatus.ProblemAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("status") && errors.ContainsKey("pageSize"), errors.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, badPatch.StatusCode);
        Assert.True((await badPatch.ProblemAsync())["errors"]!.AsObject().ContainsKey("status"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownStore.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
