using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Faults;

/// <summary>
/// The app on its own durable Azurite, with storage calls that give up after a second, so an outage shows at once,
/// and a scores timer every two seconds.
/// </summary>
public sealed class StorageOutageFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:NetworkTimeout"] = "00:00:01",
        ["Storage:MaxRetries"] = "1",
        ["Scores:Schedule"] = "*/2 * * * * *",
        ["RateLimits:TokenPerMinute"] = "10000",
        ["RateLimits:IpPerMinute"] = "10000",
    };

    protected override Task<Azurite> StartEmulatorAsync() => Azurite.StartDurableAsync();
}

/// <summary>One storage outage while answers are being processed, and everything the fault tests promise around it.</summary>
internal static class StorageOutage
{
    private const int InProgress = 16;
    private const int Arriving = 4;

    /// <summary>
    /// Answers are accepted and still being processed when storage goes away for <paramref name="away"/>. Meanwhile
    /// every answer sent and every status read gets 503 with Retry-After (or, for a request caught at the edge, its
    /// normal answer), never another 5xx. Then the clients retry with the same ids, and every accepted answer is
    /// counted and rewarded exactly once, and the scores timer runs again.
    /// </summary>
    public static async Task RunAsync(AppFixture app, Func<Task> takeAway, Func<Task> bringBack, TimeSpan away)
    {
        var ledger = new FaultLedger(() => app.App.CreateClient(), app.AdminClient, app.ConnectionString);
        await ledger.CreateStoreAsync();
        var inProgress = new List<(string Token, string Id)>();
        var arriving = new List<(string Token, string Id)>();
        for (var i = 0; i < InProgress + Arriving; i++)
        {
            (i < InProgress ? inProgress : arriving).Add(await ledger.NewAnswerAsync());
        }

        foreach (var chunk in inProgress.Chunk(8))
        {
            await Task.WhenAll(chunk.Select((a, i) => ledger.AcceptAsync(a, i % 2 == 0 ? 9 : 4)));
        }

        await takeAway();
        // Each arriving answer, and a status read, are sent again and again while storage is away, side by side.
        var refused = 0;
        var backAt = DateTime.UtcNow + away;
        async Task ProbeAsync(Func<Task<bool>> request)
        {
            while (DateTime.UtcNow < backAt - TimeSpan.FromSeconds(1))
            {
                if (await request())
                {
                    return;
                }

                Interlocked.Increment(ref refused);
                await Task.Delay(250);
            }
        }

        var probing = Task.WhenAll(arriving.Select(a => ProbeAsync(() => ledger.TryAcceptAsync(a, 10))).Append(ProbeAsync(ledger.TryReadStatusAsync)));
        await Task.Delay(backAt - DateTime.UtcNow);
        await bringBack();
        var recoveredAt = DateTimeOffset.UtcNow;
        await probing;
        Assert.True(refused >= 2 * (Arriving + 1), $"only {refused} requests were refused while storage was away");

        // The survey page and the kiosk retry with the same ids until the answer is taken.
        foreach (var answer in arriving)
        {
            await Eventually.Value(() => ledger.TryAcceptAsync(answer, 10), accepted => accepted, TimeSpan.FromSeconds(30));
        }

        // Messages the app held when storage went (and receives storage answered after the app gave up on them) stay
        // leased for the queue trigger's 10-minute receive lease; let it end now.
        await app.Emulator.AdvanceClockAsync();
        await ledger.AssertEachCountedAndRewardedOnceAsync(recoveredAt);
        Assert.Equal(InProgress + Arriving, ledger.Count);
    }
}
