using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Feedback.IntegrationTests.FollowUp;

/// <summary>Deadlines and closing-the-loop figures, on a clock the tests move.</summary>
public sealed class FollowUpDeadlineTests(FollowUpDeadlineTests.Fixture app) : IClassFixture<FollowUpDeadlineTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
    }

    [Fact]
    public async Task Case_IsOverdueOnlyAfterTheStoresDeadline_AndNotOnceContacted()
    {
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        using var policy = await app.AdminClient().PutAsJsonAsync($"/api/stores/{store}/followup", new { deadlineHours = 24 });
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);

        var feedbackId = await app.AnswerAsync(kiosk, 2);
        var opened = await app.WaitForCaseAsync(store, feedbackId);
        Assert.Equal(TimeSpan.FromHours(24), opened["dueAt"]!.GetValue<DateTimeOffset>() - opened["createdAt"]!.GetValue<DateTimeOffset>());
        Assert.Empty(await app.CasesAsync(store, "overdue"));

        app.Clock.Advance(TimeSpan.FromHours(24));
        Assert.Empty(await app.CasesAsync(store, "overdue"));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var overdue = Assert.Single(await app.CasesAsync(store, "overdue"));
        Assert.True(overdue["overdue"]!.GetValue<bool>());

        using var contacted = await app.PatchCaseAsync(overdue["caseId"]!.GetValue<string>(), "contacted", "Reached on the phone");
        Assert.Equal(HttpStatusCode.OK, contacted.StatusCode);
        Assert.Empty(await app.CasesAsync(store, "overdue"));
        Assert.Single(await app.CasesAsync(store, "open"));
    }

    [Fact]
    public async Task Summary_GivesShareContactedWithinDeadline_AndMedianTimeToFirstContact()
    {
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var start = app.Clock.GetUtcNow();
        var fast = await app.AnswerAsync(kiosk, 1);
        var slow = await app.AnswerAsync(kiosk, 4);
        var never = await app.AnswerAsync(kiosk, 6);
        var callback = await app.AnswerAsync(kiosk, 10, contact: new { email = "eva@example.pl", consent = true });
        var caseIds = new Dictionary<string, string>();
        foreach (var id in new[] { fast, slow, never, callback })
        {
            caseIds[id] = (await app.WaitForCaseAsync(store, id))["caseId"]!.GetValue<string>();
        }

        app.Clock.Advance(TimeSpan.FromHours(1));
        (await app.PatchCaseAsync(caseIds[fast], "contacted")).Dispose();
        app.Clock.Advance(TimeSpan.FromHours(2));
        (await app.PatchCaseAsync(caseIds[slow], "contacted")).Dispose();
        app.Clock.Advance(TimeSpan.FromHours(50));

        var from = StoreDay.LocalDate(start, "Europe/Prague");
        var to = StoreDay.LocalDate(app.Clock.GetUtcNow(), "Europe/Prague");
        var summary = await Summary(store, from, to);
        var before = await Summary(store, from.AddDays(-10), from.AddDays(-1));

        Assert.Equal((4, 3, 1), (Int(summary, "cases"), Int(summary, "detractorCases"), Int(summary, "callbackCases")));
        Assert.Equal((2, 2, 3, 0), (Int(summary, "contacted"), Int(summary, "contactedWithinDeadline"), Int(summary, "decided"), Int(summary, "pending")));
        Assert.Equal(2, Int(summary, "overdue"));
        Assert.Equal(0.6667, summary["shareContactedWithinDeadline"]!.GetValue<double>());
        Assert.Equal(120.0, summary["medianMinutesToFirstContact"]!.GetValue<double>());
        Assert.Equal(0, Int(before, "cases"));
        Assert.Null(before["shareContactedWithinDeadline"]);
    }

    private async Task<JsonObject> Summary(string store, DateOnly from, DateOnly to) =>
        (await app.AdminClient().GetFromJsonAsync<JsonObject>(string.Create(CultureInfo.InvariantCulture,
            $"/api/cases/summary?storeId={store}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}")))!;

    private static int Int(JsonObject o, string name) => o[name]!.GetValue<int>();
}
