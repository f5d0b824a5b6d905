using System.Net;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.IntegrationTests.Rewards;

namespace Feedback.IntegrationTests.Capture;

/// <summary>Answer ids are unique per source: an id taken through one source never blocks or steals another's.</summary>
[Collection(RewardsCollection.Name)]
public sealed class AnswerIdScopeTests(RewardsCollection.Fixture app)
{
    [Fact]
    public async Task PosterTokenPreSubmitsTheIdAKioskWillSendNext_BothAnswersStored_EachSourceSeesItsOwnStatusAndReward()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(eligible: ["kiosk", "static"]));
        var (deviceId, kiosk) = await app.EnrollDeviceAsync(store, "kiosk");
        var poster = await app.MintTokenAsync(store, "web");
        var nextKioskId = "kiosk-" + Guid.NewGuid().ToString("N")[..10];

        // The attacker answers first, through the poster, with the id the kiosk is about to use.
        var attackerUrl = await app.SubmitAcceptedAsync(new { id = nextKioskId, token = poster, score = 0 });
        var attacker = await app.WaitForRewardAsync(attackerUrl);
        var kioskUrl = await app.SubmitAcceptedAsync(new { id = nextKioskId, score = 10 }, kiosk);
        var customer = await app.WaitForRewardAsync(kioskUrl);
        await app.SettledAsync();

        Assert.NotEqual(attackerUrl, kioskUrl);
        Assert.Equal((nextKioskId, nextKioskId), (attacker.Str("id"), customer.Str("id")));
        var attackerCode = attacker["reward"]!.Str("code");
        var customerCode = customer["reward"]!.Str("code");
        Assert.NotEqual(attackerCode, customerCode);
        Assert.Equal(new[] { attackerCode, customerCode }.Order(), (await app.RewardCodeRowsAsync(store)).Select(r => r.PartitionKey).Order());

        var rows = (await app.AnswerRowsByClientIdAsync(store, nextKioskId)).ToDictionary(r => r.GetString("Source"));
        Assert.Equal((0, null), (rows["token"].GetInt32("Score"), rows["token"].GetString("DeviceId")));
        Assert.Equal((10, deviceId), (rows["device"].GetInt32("Score"), rows["device"].GetString("DeviceId")));
        Assert.Equal((customerCode, attackerCode), (rows["device"].GetString("RewardCode"), rows["token"].GetString("RewardCode")));
        var counts = await app.CountersAsync(store, RewardFlows.Today);
        Assert.Equal((2L, 1L, 1L, 2L), (counts.Answered, counts.All.Promoters, counts.All.Detractors, counts.Rewarded.Answered));

        // Each source's status link keeps showing its own answer's reward, never the other's.
        Assert.Equal(attackerCode, (await app.WaitForStatusAsync(attackerUrl))["reward"]!.Str("code"));
        Assert.Equal(customerCode, (await app.WaitForStatusAsync(kioskUrl))["reward"]!.Str("code"));
    }

    [Fact]
    public async Task SameIdFromAReceiptTokenAndAPoster_AreTwoAnswers()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(eligible: ["receipt"]));
        var id = "pos-" + Guid.NewGuid().ToString("N")[..10];

        var posterUrl = await app.SubmitAcceptedAsync(new { id, token = await app.MintTokenAsync(store, "web"), score = 3 });
        var receiptUrl = await app.SubmitAcceptedAsync(new { id, token = await app.ReceiptTokenAsync(store), score = 9 });
        var receipt = await app.WaitForRewardAsync(receiptUrl);
        await app.SettledAsync();

        Assert.Null((await app.WaitForStatusAsync(posterUrl))["reward"]);
        Assert.Equal(id, receipt.Str("id"));
        Assert.Equal([3, 9], (await app.AnswerRowsByClientIdAsync(store, id)).Select(r => r.GetInt32("Score") ?? -1).Order());
        using var again = await app.SubmitAsync(new { id, token = await app.MintTokenAsync(store, "web"), score = 5 });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }
}
