using System.Collections.Concurrent;
using Azure.Data.Tables;
using Feedback.Functions.Hosting;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.IntegrationTests.Hosting;

[Collection(AzuriteCollection.Name)]
public sealed class TimerRunnerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TableClient _leases = new(azurite.ConnectionString, AzuriteFixture.UniqueName("leases"));

    public Task InitializeAsync() => _leases.CreateIfNotExistsAsync();

    public Task DisposeAsync() => _leases.DeleteAsync();

    private TimerRunner Runner(string schedule, ConcurrentBag<TimerTrigger> fired, bool runOnStartup = false) => new(
        "Tick",
        TimerRunner.ParseSchedule(schedule, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tick:Schedule"] = "*/1 * * * * *" }).Build()),
        runOnStartup,
        _leases,
        (t, _) => { fired.Add(t); return Task.CompletedTask; },
        TimeProvider.System,
        NullLogger.Instance);

    [Fact]
    public async Task Timer_FiresOnItsSchedule_FromASettingReference()
    {
        var fired = new ConcurrentBag<TimerTrigger>();
        using var runner = Runner("%Tick__Schedule%", fired);

        await runner.StartAsync(CancellationToken.None);
        await Eventually.Value(() => Task.FromResult(fired.Count), n => n >= 2, TimeSpan.FromSeconds(10));
        await runner.StopAsync(CancellationToken.None);

        var times = fired.Select(t => t.ScheduledTime).Order().ToArray();
        Assert.All(times, t => Assert.Equal(0, t.Millisecond));
        Assert.Equal(TimeSpan.FromSeconds(1), times[1] - times[0]);
    }

    [Fact]
    public async Task TwoInstances_RunEachOccurrenceOnce()
    {
        var fired = new ConcurrentBag<TimerTrigger>();
        using var first = Runner("*/1 * * * * *", fired);
        using var second = Runner("*/1 * * * * *", fired);

        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        await Eventually.Value(() => Task.FromResult(fired.Count), n => n >= 4, TimeSpan.FromSeconds(15));
        await first.StopAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);

        var occurrences = fired.Select(t => t.ScheduledTime).ToArray();
        Assert.Equal(occurrences.Length, occurrences.Distinct().Count());
    }

    [Fact]
    public async Task RunOnStartup_FiresImmediately()
    {
        var fired = new ConcurrentBag<TimerTrigger>();
        using var runner = Runner("0 0 0 1 1 *", fired, runOnStartup: true);

        await runner.StartAsync(CancellationToken.None);
        await Eventually.Value(() => Task.FromResult(fired.Count), n => n == 1);
        await runner.StopAsync(CancellationToken.None);

        Assert.False(Assert.Single(fired).IsPastDue);
    }

    [Theory]
    [InlineData("0 */5 * * *")]
    [InlineData("not a schedule")]
    [InlineData("%Missing__Setting%")]
    public void ParseSchedule_RejectsInvalidSchedules(string schedule) =>
        Assert.Throws<InvalidOperationException>(() => TimerRunner.ParseSchedule(schedule, new ConfigurationBuilder().Build()));
}
