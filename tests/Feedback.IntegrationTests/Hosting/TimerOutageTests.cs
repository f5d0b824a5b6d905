using System.Collections.Concurrent;
using Azure.Data.Tables;
using Feedback.Functions.Hosting;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.IntegrationTests.Hosting;

/// <summary>The standalone timer against storage that stops answering for a minute, then comes back.</summary>
public sealed class TimerOutageTests : IAsyncLifetime
{
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync()
    {
        await _azurite.ResumeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Timer_RunsAgainAfterASixtySecondStorageOutage()
    {
        var options = new TableClientOptions { Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(100), NetworkTimeout = TimeSpan.FromSeconds(3) } };
        var leases = new TableClient(_azurite.ConnectionString, "leases", options);
        await leases.CreateIfNotExistsAsync();
        var fired = new ConcurrentQueue<TimerTrigger>();
        using var runner = new TimerRunner(
            "Tick",
            TimerRunner.ParseSchedule("*/1 * * * * *", new ConfigurationBuilder().Build()),
            runOnStartup: false,
            leases,
            (t, _) => { fired.Enqueue(t); return Task.CompletedTask; },
            TimeProvider.System,
            NullLogger.Instance);
        await runner.StartAsync(CancellationToken.None);
        await Eventually.Value(() => Task.FromResult(fired.Count), n => n >= 2, TimeSpan.FromSeconds(15));

        await _azurite.PauseAsync();
        var down = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(60));
        var firedWhileDown = fired.Count(t => t.ScheduledTime > down.AddSeconds(2));
        await _azurite.ResumeAsync();
        var up = DateTimeOffset.UtcNow;

        await Eventually.Value(() => Task.FromResult(fired.Count(t => t.ScheduledTime > up)), n => n >= 2, TimeSpan.FromSeconds(30));
        Assert.False(runner.ExecuteTask!.IsCompleted);
        await runner.StopAsync(CancellationToken.None);

        // No occurrence can be claimed, so none runs, while storage is away.
        Assert.Equal(0, firedWhileDown);
    }
}
