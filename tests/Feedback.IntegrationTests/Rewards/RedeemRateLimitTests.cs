using System.Net;
using Feedback.Functions.Rewards;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary><c>RateLimits:RedeemPerMinute</c> bounds how fast one till can try codes.</summary>
public sealed class RedeemRateLimitTests(RedeemRateLimitTests.Fixture app) : IClassFixture<RedeemRateLimitTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings =>
            new Dictionary<string, string?>(RewardFlows.GenerousLimits) { ["RateLimits:RedeemPerMinute"] = "3" };
    }

    [Fact]
    public async Task Redeem_OverThePerDeviceLimit_Is429WithRetryAfter_WhileAnotherDeviceStillRedeems()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var code = (await app.EarnRewardAsync(store)).Str("code");
        var (_, guesser) = await app.EnrollDeviceAsync(store, "pos");
        var (_, till) = await app.EnrollDeviceAsync(store, "pos");
        var guessing = app.DeviceClient(guesser);

        for (var i = 0; i < 3; i++)
        {
            using var guess = await guessing.RedeemAsync(RewardCode.New());
            Assert.Equal(HttpStatusCode.NotFound, guess.StatusCode);
        }

        using var limited = await guessing.RedeemAsync(code);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(429, (await limited.ProblemAsync())["status"]!.GetValue<int>());
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        using var other = await app.DeviceClient(till).RedeemAsync(code);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
