using System.Net;
using System.Net.Http.Json;
using Feedback.Functions.Rewards;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary>Who earns a reward over the whole path: capture, ProcessFeedback (with its reward), status URL.</summary>
[Collection(RewardsCollection.Name)]
public sealed class RewardIssuingTests(RewardsCollection.Fixture app)
{
    [Fact]
    public async Task ReceiptAnswer_RetriedWithSameId_GetsOneReward_AndAnotherIdIsRefused()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var token = await app.ReceiptTokenAsync(store);
        var id = "retry-" + Guid.NewGuid().ToString("N")[..10];

        var first = await app.SubmitAcceptedAsync(new { id, token, score = 9 });
        var retry = await app.SubmitAcceptedAsync(new { id, token, score = 9 });
        using var other = await app.SubmitAsync(new { id = "other-" + Guid.NewGuid().ToString("N")[..10], token, score = 9 });

        Assert.Equal(first, retry);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var reward = (await app.WaitForRewardAsync(first))["reward"]!;
        await app.SettledAsync();
        Assert.Equal(reward.Str("code"), Assert.Single(await app.RewardCodeRowsAsync(store)).PartitionKey);
        Assert.Equal(1, await app.CapCountAsync(store));
    }

    [Fact]
    public async Task HundredParallelSubmissionsOnOneReceipt_MixingRetriesAndNewIds_IssueExactlyOneReward()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var token = await app.ReceiptTokenAsync(store);
        var shared = "shared-" + Guid.NewGuid().ToString("N")[..10];

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            app.SubmitAsync(new { id = i % 2 == 0 ? shared : $"new-{i:D3}-{Guid.NewGuid():N}"[..24], token, score = i % 11 })));

        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        Assert.Equal(100, accepted.Count + responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var urls = (await Task.WhenAll(accepted.Select(async r => (await r.JsonAsync()).Str("statusUrl")))).Distinct().ToList();
        var url = Assert.Single(urls);
        var reward = (await app.WaitForRewardAsync(url))["reward"]!;
        await app.SettledAsync();

        var row = Assert.Single(await app.RewardCodeRowsAsync(store));
        Assert.Equal(reward.Str("code"), row.PartitionKey);
        Assert.Equal(1, await app.CapCountAsync(store));
        Assert.Equal(1, (await app.CountersAsync(store, RewardFlows.Today)).Rewarded.Total());
    }

    [Fact]
    public async Task HundredParallelRetriesOfOneReceiptAnswer_IssueOneReward_CountedOnce()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var token = await app.ReceiptTokenAsync(store);
        var id = "same-" + Guid.NewGuid().ToString("N")[..10];

        // Every retry is accepted and queued, so ProcessFeedback sees the same answer many times at once.
        var urls = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => app.SubmitAcceptedAsync(new { id, token, score = 10 })));
        var reward = (await app.WaitForRewardAsync(Assert.Single(urls.Distinct())))["reward"]!;
        await app.SettledAsync();

        Assert.Equal(reward.Str("code"), Assert.Single(await app.RewardCodeRowsAsync(store)).PartitionKey);
        Assert.Equal(1, await app.CapCountAsync(store));
        var counters = await app.CountersAsync(store, RewardFlows.Today);
        Assert.Equal((1L, 1L, 1L), (counters.Answered, counters.Rewarded.Promoters, counters.Rewarded.Total()));
    }

    [Fact]
    public async Task StaticQrAnswer_GetsNoReward_UnlessStaticIsEligible()
    {
        var receiptOnly = await app.CreateStoreAsync(reward: Api.Reward());
        var withStatic = await app.CreateStoreAsync(reward: Api.Reward(200, 30, "receipt", "static"));

        var none = await app.SubmitAcceptedAsync(new { token = await app.MintTokenAsync(receiptOnly), score = 9 });
        var some = await app.SubmitAcceptedAsync(new { token = await app.MintTokenAsync(withStatic), score = 9 });

        Assert.NotNull((await app.WaitForRewardAsync(some))["reward"]);
        var status = await app.SettledStatusAsync(none);
        Assert.Equal("processed", status.Str("status"));
        Assert.Null(status["reward"]);
        Assert.Empty(await app.RewardCodeRowsAsync(receiptOnly));
        Assert.Single(await app.RewardCodeRowsAsync(withStatic));
    }

    [Fact]
    public async Task StoreWithoutCampaign_GivesNoReward()
    {
        var store = await app.CreateStoreAsync();
        var (_, kiosk) = await app.EnrollDeviceAsync(store, "kiosk");

        var receipt = await app.SubmitAcceptedAsync(new { token = await app.ReceiptTokenAsync(store), score = 10 });
        var fromKiosk = await app.SubmitAcceptedAsync(new { score = 10 }, kiosk);

        Assert.Null((await app.SettledStatusAsync(receipt))["reward"]);
        Assert.Null((await app.SettledStatusAsync(fromKiosk))["reward"]);
        Assert.Empty(await app.RewardCodeRowsAsync(store));
    }

    [Fact]
    public async Task CampaignRemoved_StopsRewards()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        await app.EarnRewardAsync(store);

        using var put = await app.AdminClient().PutAsJsonAsync($"/api/stores/{store}",
            new { name = "Café", region = "prague", timeZone = RewardFlows.Zone, languages = new[] { "cs", "en" }, reward = (object?)null });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await app.SubmitAcceptedAsync(new { token = await app.ReceiptTokenAsync(store), score = 10 });

        Assert.Null((await app.SettledStatusAsync(after))["reward"]);
        Assert.Single(await app.RewardCodeRowsAsync(store));
    }

    [Fact]
    public async Task KioskAnswersInQuickSuccession_OnlyTheFirstIsRewarded_EachKioskSeparately()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var (_, kioskA) = await app.EnrollDeviceAsync(store, "kiosk");
        var (_, kioskB) = await app.EnrollDeviceAsync(store, "kiosk");

        var first = await app.SubmitAcceptedAsync(new { score = 8 }, kioskA);
        var reward = (await app.WaitForRewardAsync(first))["reward"]!;
        var second = await app.SubmitAcceptedAsync(new { score = 8 }, kioskA);
        var otherKiosk = await app.SubmitAcceptedAsync(new { score = 8 }, kioskB);

        Assert.Null((await app.SettledStatusAsync(second))["reward"]);
        var otherReward = (await app.WaitForRewardAsync(otherKiosk))["reward"]!;
        Assert.NotEqual(reward.Str("code"), otherReward.Str("code"));
        Assert.Equal(2, (await app.RewardCodeRowsAsync(store)).Count);
    }

    [Fact]
    public async Task PosAnswers_GetNoReward()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var (_, pos) = await app.EnrollDeviceAsync(store, "pos");
        var (_, kiosk) = await app.EnrollDeviceAsync(store, "kiosk");

        var fromPos = await app.SubmitAcceptedAsync(new { score = 10, touchpoint = "kiosk" }, pos);
        var fromKiosk = await app.SubmitAcceptedAsync(new { score = 10 }, kiosk);

        await app.WaitForRewardAsync(fromKiosk);
        Assert.Null((await app.SettledStatusAsync(fromPos))["reward"]);
        Assert.Single(await app.RewardCodeRowsAsync(store));
    }

    [Fact]
    public async Task DailyCap_FiftyParallelEligibleAnswers_IssueExactlyTheCap()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(dailyCap: 10));
        var tokens = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            tokens.Add(await app.ReceiptTokenAsync(store));
        }

        var urls = await Task.WhenAll(tokens.Select((token, i) => app.SubmitAcceptedAsync(new { token, score = i % 11 })));
        foreach (var url in urls)
        {
            await app.WaitForStatusAsync(url, timeout: RewardFlows.Patience);
        }

        await app.SettledAsync();
        var statuses = await Task.WhenAll(urls.Select(url => app.WaitForStatusAsync(url)));
        var codes = statuses.Where(s => s["reward"] is not null).Select(s => s["reward"]!.Str("code")).ToList();
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Equal(codes.Order(), (await app.RewardCodeRowsAsync(store)).Select(r => r.PartitionKey).Order());
        Assert.Equal(10, await app.CapCountAsync(store));
        Assert.Equal(10, (await app.CountersAsync(store, RewardFlows.Today)).Rewarded.Total());
    }

    [Fact]
    public async Task DetractorAndPromoterWithComplaint_BothGetTheReward()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());

        var detractor = await app.SubmitAcceptedAsync(new { token = await app.ReceiptTokenAsync(store), score = 0, comment = "Cold coffee, rude staff." });
        var promoter = await app.SubmitAcceptedAsync(new { token = await app.ReceiptTokenAsync(store), score = 10 });

        Assert.NotNull((await app.WaitForRewardAsync(detractor))["reward"]);
        Assert.NotNull((await app.WaitForRewardAsync(promoter))["reward"]);
        var counters = await app.CountersAsync(store, RewardFlows.Today);
        Assert.Equal((1L, 1L), (counters.Rewarded.Detractors, counters.Rewarded.Promoters));
    }

    [Fact]
    public async Task RewardTitle_IsInTheAnswersLanguage_ElseTheStoresFirstLanguage()
    {
        var czechFirst = await app.CreateStoreAsync(reward: Api.Reward());
        var englishFirst = await app.CreateStoreAsync(reward: Api.Reward(), languages: ["en", "cs"]);

        Assert.Equal(RewardFlows.EnglishTitle, (await app.EarnRewardAsync(czechFirst, language: "en")).Str("title"));
        Assert.Equal(RewardFlows.CzechTitle, (await app.EarnRewardAsync(englishFirst, language: "CS")).Str("title"));
        Assert.Equal(RewardFlows.CzechTitle, (await app.EarnRewardAsync(czechFirst, language: "pl")).Str("title"));
        Assert.Equal(RewardFlows.EnglishTitle, (await app.EarnRewardAsync(englishFirst, language: "pl")).Str("title"));
        Assert.Equal(RewardFlows.EnglishTitle, (await app.EarnRewardAsync(englishFirst)).Str("title"));
    }

    [Fact]
    public async Task IssuedReward_HasGroupedCheckedCode_StoredForRedemption_ExpiringAfterValidDays()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(validDays: 7));
        var before = DateTimeOffset.UtcNow;

        var reward = await app.EarnRewardAsync(store, language: "en");

        var code = reward.Str("code");
        Assert.Matches(RewardFlows.CodeFormat(), code);
        Assert.True(RewardCode.TryNormalize(code, out var normalized) && normalized == code, code);
        var expires = reward.Time("expiresAt");
        Assert.InRange(expires, before.AddDays(7).AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(7).AddSeconds(1));
        var row = Assert.Single(await app.RewardCodeRowsAsync(store));
        Assert.Equal((code, RewardFlows.EnglishTitle, expires), (row.PartitionKey, row.GetString("Title"), row.GetDateTimeOffset("ExpiresAt")));
        Assert.Null(row.GetDateTimeOffset("RedeemedAt"));
    }

    [Fact]
    public async Task RewardedCounters_CountExactlyTheRewardedAnswers()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward(dailyCap: 2));

        // Sequential, so the cap falls on the third receipt: 10 and 0 are rewarded, 7 is over the cap, the static 9 is not eligible.
        await app.EarnRewardAsync(store, score: 10);
        await app.EarnRewardAsync(store, score: 0);
        var overCap = await app.SubmitAcceptedAsync(new { token = await app.ReceiptTokenAsync(store), score = 7 });
        var notEligible = await app.SubmitAcceptedAsync(new { token = await app.MintTokenAsync(store), score = 9 });
        Assert.Null((await app.SettledStatusAsync(overCap))["reward"]);
        Assert.Null((await app.SettledStatusAsync(notEligible))["reward"]);

        var (all, rewarded, answered) = await app.CountersAsync(store, RewardFlows.Today);
        Assert.Equal(4, answered);
        Assert.Equal((2L, 1L, 1L), (all.Promoters, all.Passives, all.Detractors));
        Assert.Equal((1L, 0L, 1L), (rewarded.Promoters, rewarded.Passives, rewarded.Detractors));
    }
}
