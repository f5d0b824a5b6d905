using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary>An offline kiosk tells the customer there is no reward; the server keeps that promise when the answer arrives later.</summary>
[Collection(RewardsCollection.Name)]
public sealed class KioskRewardWindowTests(RewardsCollection.Fixture app)
{
    [Fact]
    public async Task KioskAnswerUploadedLongAfterItWasGiven_EarnsNoReward_AndLeavesTheKiosksIntervalForTheNextCustomer()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(eligible: ["kiosk"]));
        var (_, kiosk) = await app.EnrollDeviceAsync(store, "kiosk");

        var late = await app.SubmitAcceptedAsync(new { score = 9, submittedAt = DateTimeOffset.UtcNow.AddMinutes(-5) }, kiosk);
        Assert.Null((await app.SettledStatusAsync(late))["reward"]);
        Assert.Empty(await app.RewardCodeRowsAsync(store));

        var live = await app.SubmitAcceptedAsync(new { score = 9, submittedAt = DateTimeOffset.UtcNow }, kiosk);
        var reward = (await app.WaitForRewardAsync(live))["reward"]!;
        Assert.Matches(RewardFlows.CodeFormat(), reward.Str("code"));
        Assert.Equal([reward.Str("code")], (await app.RewardCodeRowsAsync(store)).Select(r => r.PartitionKey));
    }
}
