using System.Net;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Capture;

/// <summary>Many customers answering at once on one poster: the ceiling takes every answer under it, and no more.</summary>
public sealed class OpenTokenCeilingContentionTests(OpenTokenCeilingContentionTests.Fixture app) : IClassFixture<OpenTokenCeilingContentionTests.Fixture>
{
    private const int Ceiling = 40;

    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimits:OpenTokenPerDay"] = Ceiling.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:TokenPerMinute"] = "10000",
            ["RateLimits:IpPerMinute"] = "10000",
        };
    }

    [Fact]
    public async Task ConcurrentAnswersOnOneToken_AreAllTakenUnderTheCeiling_AndExactlyTheCeilingIsTaken()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);

        var first = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => app.SubmitAsync(new { token, score = 9 })));
        var second = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => app.SubmitAsync(new { token, score = 9 })));

        Assert.All(first, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(Ceiling - first.Length, second.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        foreach (var refused in second.Where(r => r.StatusCode != HttpStatusCode.Accepted))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains($"{Ceiling} answers for today", (await refused.ProblemAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        foreach (var response in first.Concat(second))
        {
            response.Dispose();
        }
    }
}
