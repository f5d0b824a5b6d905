using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.IntegrationTests.Rewards;

namespace Feedback.IntegrationTests.Faults;

/// <summary>
/// Storage frozen (SIGSTOP) while answers arrive, then resumed: the request path answers 503 with
/// Retry-After meanwhile, the queue listeners and the timer survive their failed polls, nothing
/// accepted is lost or counted twice, and each receipt keeps exactly one reward.
/// </summary>
public sealed class FrozenStorageTests(FrozenStorageTests.Fixture app) : IClassFixture<FrozenStorageTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Storage:NetworkTimeout"] = "00:00:01",
            ["Storage:MaxRetries"] = "1",
            ["Scores:Schedule"] = "*/2 * * * * *",
            ["RateLimits:TokenPerMinute"] = "10000",
            ["RateLimits:IpPerMinute"] = "10000",
        };
    }

    [Fact]
    public async Task AnswersAroundAFrozenStorage_Are503WithRetryAfterMeanwhile_ThenCountedOnceAndRewardedOnce_AndTheTimerRunsAgain()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var before = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            before.Add(await app.SubmitAcceptedAsync(new { token = await app.ReceiptTokenAsync(store), score = 9, id = $"before-{i}-{Guid.NewGuid():N}"[..20] }));
        }

        // Messages a handler holds when storage stops come back only when their receive lease (minutes) ends,
        // as under the Functions host: this test freezes storage between answers, while the listener polls.
        foreach (var url in before)
        {
            await app.WaitForRewardAsync(url);
        }

        var frozen = new List<(string Token, string Id)>();
        for (var i = 0; i < 3; i++)
        {
            frozen.Add((await app.ReceiptTokenAsync(store), $"frozen-{i}-{Guid.NewGuid():N}"[..20]));
        }

        await app.Emulator.PauseAsync();
        try
        {
            foreach (var (token, id) in frozen)
            {
                using var response = await app.SubmitAsync(new { token, score = 3, id });
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
            }

            await Task.Delay(TimeSpan.FromSeconds(4));
        }
        finally
        {
            await app.Emulator.ResumeAsync();
        }

        // The clients retry with the same ids, as the survey page and the kiosk do.
        var after = new List<string>();
        foreach (var (token, id) in frozen)
        {
            after.Add(await app.SubmitAcceptedAsync(new { token, score = 3, id }));
        }

        foreach (var url in after)
        {
            await app.WaitForRewardAsync(url);
        }

        await app.SettledAsync();
        var (all, rewarded, answered) = await app.CountersAsync(store, RewardFlows.Today);
        Assert.Equal((8L, 5L, 3L, 8L), (answered, all.Promoters, all.Detractors, rewarded.NpsAnswers));
        Assert.Equal(8, await app.CapCountAsync(store));

        // The scores timer runs again and sees all of them.
        var day = RewardFlows.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var series = await Eventually.Value(
            async () => (await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/scores?scope=store:{store}&period=day&from={day}&to={day}"))!,
            s => s["series"]?.AsArray() is [{ } point] && point["n"]?.GetValue<int>() == 8,
            TimeSpan.FromSeconds(30));
        Assert.NotNull(series["asOf"]);
    }
}
