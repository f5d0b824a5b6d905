using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Capture;

/// <summary>
/// Per-minute answer limits: per device, per token, and per client IP for token answers. The IP limit
/// is tested on a second instance with its own settings, against the same storage.
/// </summary>
public sealed class RateLimitTests(RateLimitTests.Fixture perKey) : IClassFixture<RateLimitTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimits:DevicePerMinute"] = "3",
            ["RateLimits:TokenPerMinute"] = "3",
            ["RateLimits:IpPerMinute"] = "10000",
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
        var perIp = perKey.StartApp(new Dictionary<string, string?>
        {
            ["RateLimits:DevicePerMinute"] = "10000",
            ["RateLimits:TokenPerMinute"] = "10000",
            ["RateLimits:IpPerMinute"] = "2",
        });
        var store = await perKey.CreateStoreAsync();
        var tokens = new[]
        {
            await perKey.MintTokenAsync(store, "store"),
            await perKey.MintTokenAsync(store, "web"),
            await perKey.MintTokenAsync(store, "app"),
        };
        var (_, key) = await perKey.EnrollDeviceAsync(store);
        var client = perIp.CreateClient();
        var device = perIp.CreateClient();
        device.DefaultRequestHeaders.Add("X-Device-Key", key);

        using var first = await client.PostAsJsonAsync("/api/feedback", new { token = tokens[0], score = 5 });
        using var second = await client.PostAsJsonAsync("/api/feedback", new { token = tokens[1], score = 5 });
        using var third = await client.PostAsJsonAsync("/api/feedback", new { token = tokens[2], score = 5 });

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, second.StatusCode));
        await AssertTooManyRequestsAsync(third);
        for (var i = 0; i < 4; i++)
        {
            using var fromDevice = await device.PostAsJsonAsync("/api/feedback", new { score = 5 });
            Assert.Equal(HttpStatusCode.Accepted, fromDevice.StatusCode);
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
