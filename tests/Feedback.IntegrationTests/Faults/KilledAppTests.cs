using Azure.Storage.Queues;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Faults;

/// <summary>
/// The app killed (SIGKILL) while it works through a backlog of answers, then started again: nothing accepted is lost,
/// nothing is counted twice, each receipt keeps exactly one reward, and the scores timer runs again.
/// </summary>
public sealed class KilledAppTests : IAsyncLifetime
{
    private const int Answers = 48;

    private static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Scores__Schedule"] = "*/2 * * * * *",
        ["RateLimits__TokenPerMinute"] = "10000",
        ["RateLimits__IpPerMinute"] = "10000",
    };

    private Azurite _storage = null!;

    public async Task InitializeAsync() => _storage = await Azurite.StartDurableAsync();

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task AppKilledMidBatch_ThenStartedAgain_LosesNothing_CountsOnce_RewardsOnce_AndTheTimerRunsAgain()
    {
        var app = await AppProcess.StartAsync(_storage.ConnectionString, Settings);
        try
        {
            var ledger = new FaultLedger(() => app.Client(), () => app.AdminClient(), _storage.ConnectionString);
            await ledger.CreateStoreAsync();
            var answers = new List<(string Token, string Id)>();
            for (var i = 0; i < Answers; i++)
            {
                answers.Add(await ledger.NewAnswerAsync());
            }

            // Sent eight at a time, so a backlog builds up faster than the queue trigger works it off.
            foreach (var chunk in answers.Select((a, i) => (a, i)).Chunk(8))
            {
                await Task.WhenAll(chunk.Select(c => ledger.AcceptAsync(c.a, c.i % 4 == 0 ? 3 : c.i % 4 == 1 ? 7 : 10)));
            }

            // Kill it once the trigger has finished some answers and holds others: a batch in progress.
            var submitted = new QueueClient(_storage.ConnectionString, QueueNames.FeedbackSubmitted);
            var left = await Eventually.Value(() => submitted.GetApproximateMessagesCountAsync(), n => n < Answers, TimeSpan.FromSeconds(30));
            await app.KillAsync();
            Assert.True(left > 0, "the app had finished everything before it was killed: nothing was in progress");

            await app.DisposeAsync();
            app = await AppProcess.StartAsync(_storage.ConnectionString, Settings);
            var restartedAt = DateTimeOffset.UtcNow;
            // The killed instance's messages stay leased for the queue trigger's 10-minute receive lease; let it end now.
            await _storage.AdvanceClockAsync();

            // The restarted app takes new answers too.
            for (var i = 0; i < 2; i++)
            {
                await ledger.AcceptAsync(await ledger.NewAnswerAsync(), 9);
            }

            await ledger.AssertEachCountedAndRewardedOnceAsync(restartedAt);
            Assert.Equal(Answers + 2, ledger.Count);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException("App output:\n" + app.Output, e);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
