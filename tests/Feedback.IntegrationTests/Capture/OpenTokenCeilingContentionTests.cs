using System.Net;
using System.Net.Http.Json;
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

    [Fact]
    public async Task ABusyToken_ReservesGrowingBlocks_AndInstancesTogetherTakeExactlyTheCeiling()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);
        var other = app.StartApp().CreateClient();

        // Answers in quick succession reserve 1, 2, 4, 8, then 16 (the largest block): five writes for 31 answers.
        for (var i = 0; i < 31; i++)
        {
            await app.SubmitAcceptedAsync(new { token, score = 9 });
        }

        Assert.Equal(31, await ReservedAsync(store));

        // The next block is what is left under the ceiling; the other instance then finds none.
        await app.SubmitAcceptedAsync(new { token, score = 9 });
        Assert.Equal(Ceiling, await ReservedAsync(store));
        using var refusedElsewhere = await other.PostAsJsonAsync("/api/feedback", new { token, score = 9 });
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedElsewhere.StatusCode);

        // This instance still spends its block, to the ceiling exactly.
        for (var i = 32; i < Ceiling; i++)
        {
            await app.SubmitAcceptedAsync(new { token, score = 9 });
        }

        using var refused = await app.SubmitAsync(new { token, score = 9 });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(Ceiling, await ReservedAsync(store));
    }

    [Fact]
    public async Task AnAnswerThatStartedBeforeMidnight_DoesNotDropTheNewDaysBlocks()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);
        var ceiling = app.App.Services.GetRequiredService<Feedback.Functions.Capture.OpenTokenCeiling>();
        var now = DateTimeOffset.UtcNow;

        Assert.Null(await ceiling.TryCountAsync(store, token, now, CancellationToken.None));
        Assert.Null(await ceiling.TryCountAsync(store, token, now, CancellationToken.None));
        Assert.Null(await ceiling.TryCountAsync(store, token, now.AddDays(-1), CancellationToken.None));
        Assert.Null(await ceiling.TryCountAsync(store, token, now, CancellationToken.None));

        // Today's blocks of 1 and 2 are spent from memory after the late answer too: no third reservation.
        var today = (await app.Storage().Table(Feedback.Functions.Storage.TableNames.OpenTokenDays)
            .QueryAsync<Feedback.Functions.Capture.OpenTokenDayEntity>(e => e.PartitionKey == store).ToListAsync())
            .Single(r => r.RowKey.StartsWith(now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal(3, today.Answers);
    }

    private async Task<int> ReservedAsync(string store)
    {
        var rows = await app.Storage().Table(Feedback.Functions.Storage.TableNames.OpenTokenDays)
            .QueryAsync<Feedback.Functions.Capture.OpenTokenDayEntity>(e => e.PartitionKey == store).ToListAsync();
        return Assert.Single(rows).Answers;
    }
}
