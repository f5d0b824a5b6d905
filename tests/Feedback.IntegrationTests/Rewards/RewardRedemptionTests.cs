using System.Net;
using Azure.Data.Tables;
using Feedback.Functions.Rewards;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary>GET /api/rewards/{code} and POST /api/rewards/{code}/redeem at the till.</summary>
[Collection(RewardsCollection.Name)]
public sealed class RewardRedemptionTests(RewardsCollection.Fixture app)
{
    [Fact]
    public async Task LookUp_AsIssuingStoresDeviceAndAsAdmin_ShowsTheIssuedReward()
    {
        var (store, code, expires) = await IssuedAsync();
        var (_, kiosk) = await app.EnrollDeviceAsync(store, "kiosk");

        foreach (var client in new[] { app.DeviceClient(kiosk), app.AdminClient() })
        {
            using var response = await client.LookUpAsync(code);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.JsonAsync();
            Assert.Equal((code, RewardFlows.CzechTitle, store, "issued"), (body.Str("code"), body.Str("title"), body.Str("storeId"), body.Str("status")));
            Assert.Equal(expires, body.Time("expiresAt"));
            Assert.Null(body["redeemedAt"]);
        }
    }

    [Fact]
    public async Task LookUp_WithoutKey_IsUnauthorized_AndAsAnotherStoresDevice_Forbidden()
    {
        var (_, code, _) = await IssuedAsync();
        var other = await app.CreateStoreAsync(reward: Api.Reward());
        var (_, otherPos) = await app.EnrollDeviceAsync(other, "pos");

        using var anonymous = await app.App.CreateClient().LookUpAsync(code);
        using var wrongStore = await app.DeviceClient(otherPos).LookUpAsync(code);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongStore.StatusCode);
        Assert.Equal(403, (await wrongStore.ProblemAsync())["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task LookUp_UnknownCodeWithValidCheckSymbol_IsNotFound()
    {
        var unknown = RewardCode.New();

        using var response = await app.AdminClient().LookUpAsync(unknown);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await response.ProblemAsync())["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task LookUpAndRedeem_MistypedCode_AreNotFound_EvenWhenARowHasThatSpelling()
    {
        var (store, code, _) = await IssuedAsync();
        var (_, pos) = await app.EnrollDeviceAsync(store, "pos");
        var mistyped = code[..5] + (code[5] == 'A' ? 'B' : 'A') + code[6..];
        Assert.False(RewardCode.TryNormalize(mistyped, out _));

        // Were the check symbol not verified, this row would answer the mistyped code.
        var codes = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.RewardCodes);
        TableEntity row = await codes.GetEntityAsync<TableEntity>(code, "");
        await codes.AddEntityAsync(new TableEntity(mistyped, "")
        {
            ["Code"] = mistyped,
            ["StoreId"] = store,
            ["Title"] = row.GetString("Title"),
            ["ExpiresAt"] = row.GetDateTimeOffset("ExpiresAt"),
        });

        using var lookUp = await app.AdminClient().LookUpAsync(mistyped);
        using var redeem = await app.DeviceClient(pos).RedeemAsync(mistyped);
        Assert.Equal(HttpStatusCode.NotFound, lookUp.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, redeem.StatusCode);
    }

    [Fact]
    public async Task LookUpAndRedeem_AcceptLowercaseWithoutHyphens()
    {
        var (store, code, _) = await IssuedAsync();
        var (_, pos) = await app.EnrollDeviceAsync(store, "pos");
        var typed = code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

        using var lookUp = await app.DeviceClient(pos).LookUpAsync(typed);
        Assert.Equal(HttpStatusCode.OK, lookUp.StatusCode);
        Assert.Equal(code, (await lookUp.JsonAsync()).Str("code"));
        using var redeem = await app.DeviceClient(pos).RedeemAsync(typed);
        Assert.Equal(HttpStatusCode.OK, redeem.StatusCode);
        using var after = await app.AdminClient().LookUpAsync(code);
        Assert.Equal("redeemed", (await after.JsonAsync()).Str("status"));
    }

    [Fact]
    public async Task Redeem_FirstSucceeds_SecondConflicts_AndTheRewardShowsRedeemed()
    {
        var (store, code, _) = await IssuedAsync();
        var (_, pos) = await app.EnrollDeviceAsync(store, "pos");
        var (_, kiosk) = await app.EnrollDeviceAsync(store, "kiosk");
        var before = DateTimeOffset.UtcNow;

        using var first = await app.DeviceClient(pos).RedeemAsync(code);
        using var second = await app.DeviceClient(kiosk).RedeemAsync(code);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var redeemed = await first.JsonAsync();
        Assert.Equal("redeemed", redeemed.Str("status"));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(409, (await second.ProblemAsync())["status"]!.GetValue<int>());
        using var lookUp = await app.DeviceClient(pos).LookUpAsync(code);
        var body = await lookUp.JsonAsync();
        Assert.Equal("redeemed", body.Str("status"));
        Assert.Equal(redeemed.Time("redeemedAt"), body.Time("redeemedAt"));
        Assert.InRange(body.Time("redeemedAt"), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Redeem_TenConcurrentAttempts_SucceedOnce()
    {
        var (store, code, _) = await IssuedAsync();
        var keys = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            keys.Add((await app.EnrollDeviceAsync(store, i % 2 == 0 ? "pos" : "kiosk")).DeviceKey);
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => app.DeviceClient(keys[i % keys.Count]).RedeemAsync(code)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Redeem_ByAnotherStoresDevice_IsForbidden_AndLeavesTheRewardIssued()
    {
        var (_, code, _) = await IssuedAsync();
        var other = await app.CreateStoreAsync(reward: Api.Reward());
        var (_, otherPos) = await app.EnrollDeviceAsync(other, "pos");

        using var response = await app.DeviceClient(otherPos).RedeemAsync(code);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var lookUp = await app.AdminClient().LookUpAsync(code);
        Assert.Equal("issued", (await lookUp.JsonAsync()).Str("status"));
    }

    [Fact]
    public async Task Redeem_WithoutDeviceKey_IsUnauthorized_EvenForTheAdmin()
    {
        var (_, code, _) = await IssuedAsync();

        using var anonymous = await app.App.CreateClient().RedeemAsync(code);
        using var admin = await app.AdminClient().RedeemAsync(code);
        using var revokedLike = await app.DeviceClient("d0123456789abcdef.not-a-key").RedeemAsync(code);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revokedLike.StatusCode);
        using var lookUp = await app.AdminClient().LookUpAsync(code);
        Assert.Equal("issued", (await lookUp.JsonAsync()).Str("status"));
    }

    [Fact]
    public async Task Redeem_UnknownCode_IsNotFound()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var (_, pos) = await app.EnrollDeviceAsync(store, "pos");

        using var response = await app.DeviceClient(pos).RedeemAsync(RewardCode.New());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Redeem_ExpiredReward_IsGone_AndStaysUnredeemed()
    {
        var (store, code, _) = await IssuedAsync();
        var (_, pos) = await app.EnrollDeviceAsync(store, "pos");
        await app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.RewardCodes).UpdateEntityAsync(
            new TableEntity(code, "") { ["ExpiresAt"] = DateTimeOffset.UtcNow.AddMinutes(-1) }, Azure.ETag.All, TableUpdateMode.Merge);

        using var response = await app.DeviceClient(pos).RedeemAsync(code);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal(410, (await response.ProblemAsync())["status"]!.GetValue<int>());
        using var lookUp = await app.DeviceClient(pos).LookUpAsync(code);
        var body = await lookUp.JsonAsync();
        Assert.Equal("expired", body.Str("status"));
        Assert.Null(body["redeemedAt"]);
    }

    private async Task<(string Store, string Code, DateTimeOffset ExpiresAt)> IssuedAsync()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var reward = await app.EarnRewardAsync(store, language: "cs");
        return (store, reward.Str("code"), reward.Time("expiresAt"));
    }
}
