using System.Globalization;
using System.Net;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Capture;

/// <summary>Per-minute answer limits: per device, per token, and per client IP for token answers.</summary>
public sealed class RateLimitTests(RateLimitTests.PerKeyFixture perKey, RateLimitTests.PerIpFixture perIp)
    : IClassFixture<RateLimitTests.PerKeyFixture>, IClassFixture<RateLimitTests.PerIpFixture>
{
    public sealed class PerKeyFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimits:DevicePerMinute"] = "3",
            ["RateLimits:TokenPerMinute"] = "3",
            ["RateLimits:IpPerMinute"] = "10000",
        };
    }

    public sealed class PerIpFixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimits:DevicePerMinute"] = "10000",
            ["RateLimits:TokenPerMinute"] = "10000",
            ["RateLimits:IpPerMinute"] = "2",
        };
    }

    [Fact]
    public async Task FourthAnswerFromOneDevice_IsTooManyRequests_AnotherDeviceOfTheStoreIsNot()
    {
        var store = await perKey.CreateStoreAsync();
        var (_, key) = await perKey.EnrollDeviceAsync(store);
        var (_, otherKey) = await perKey.EnrollDeviceAsync(store);

        for (var i = 0; i < 3; i++)
        {
            await perKey.SubmitAcceptedAsync(new { score = 5 }, key);
        }

        using var fourth = await perKey.SubmitAsync(new { score = 5 }, key);
        using var other = await perKey.SubmitAsync(new { score = 5 }, otherKey);

        await AssertTooManyRequestsAsync(fourth);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task FourthAnswerWithOneToken_IsTooManyRequests_AnotherTokenIsNot()
    {
        var store = await perKey.CreateStoreAsync();
        var token = await perKey.MintTokenAsync(store);
        var otherToken = await perKey.MintTokenAsync(store, touchpoint: "web");

        for (var i = 0; i < 3; i++)
        {
            await perKey.SubmitAcceptedAsync(new { token, score = 5 });
        }

        using var fourth = await perKey.SubmitAsync(new { token, score = 5 });
        using var other = await perKey.SubmitAsync(new { token = otherToken, score = 5 });

        await AssertTooManyRequestsAsync(fourth);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task RejectedAnswers_DoNotUseUpADevicesLimit()
    {
        var store = await perKey.CreateStoreAsync();
        var (_, key) = await perKey.EnrollDeviceAsync(store);

        for (var i = 0; i < 5; i++)
        {
            using var invalid = await perKey.SubmitAsync(new { score = 11 }, key);
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            await perKey.SubmitAcceptedAsync(new { score = 5 }, key);
        }

        using var fourth = await perKey.SubmitAsync(new { score = 5 }, key);
        await AssertTooManyRequestsAsync(fourth);
    }

    [Fact]
    public async Task ThirdTokenAnswerFromOneClientIp_IsTooManyRequests_EvenWithDifferentTokens_DevicesAreNotLimitedByIp()
    {
        var store = await perIp.CreateStoreAsync();
        var tokens = new[]
        {
            await perIp.MintTokenAsync(store, "store"),
            await perIp.MintTokenAsync(store, "web"),
            await perIp.MintTokenAsync(store, "app"),
        };
        var (_, key) = await perIp.EnrollDeviceAsync(store);

        await perIp.SubmitAcceptedAsync(new { token = tokens[0], score = 5 });
        await perIp.SubmitAcceptedAsync(new { token = tokens[1], score = 5 });
        using var third = await perIp.SubmitAsync(new { token = tokens[2], score = 5 });

        await AssertTooManyRequestsAsync(third);
        for (var i = 0; i < 3; i++)
        {
            await perIp.SubmitAcceptedAsync(new { score = 5 }, key);
        }
    }

    private static async Task AssertTooManyRequestsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(429, (await response.ProblemAsync())["status"]!.GetValue<int>());
        var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.True(int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds), retryAfter);
        Assert.InRange(seconds, 1, 60);
    }
}
