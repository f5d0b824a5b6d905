using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary>With <c>Rewards:KioskInterval</c> at zero a kiosk earns a reward for every answer.</summary>
public sealed class KioskIntervalTests(KioskIntervalTests.Fixture app) : IClassFixture<KioskIntervalTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings =>
            new Dictionary<string, string?>(RewardFlows.GenerousLimits) { ["Rewards:KioskInterval"] = "00:00:00" };
    }

    [Fact]
    public async Task KioskIntervalZero_BothAnswersInQuickSuccessionAreRewarded()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var (_, kiosk) = await app.EnrollDeviceAsync(store, "kiosk");

        var first = await app.SubmitAcceptedAsync(new { score = 6 }, kiosk);
        var second = await app.SubmitAcceptedAsync(new { score = 6 }, kiosk);

        var codes = new[]
        {
            (await app.WaitForRewardAsync(first))["reward"]!.Str("code"),
            (await app.WaitForRewardAsync(second))["reward"]!.Str("code"),
        };
        Assert.NotEqual(codes[0], codes[1]);
        await app.SettledAsync();
        Assert.Equal(codes.Order(), (await app.RewardCodeRowsAsync(store)).Select(r => r.PartitionKey).Order());
    }
}
