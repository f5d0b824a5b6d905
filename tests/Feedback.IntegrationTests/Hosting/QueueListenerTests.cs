using System.Collections.Concurrent;
using Feedback.Functions.Hosting;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.IntegrationTests.Hosting;

[Collection(AzuriteCollection.Name)]
public sealed class QueueListenerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly QueueSettings FastRetries = new()
    {
        BatchSize = 4,
        NewBatchThreshold = 2,
        MaxPollingInterval = TimeSpan.FromMilliseconds(200),
        VisibilityTimeout = TimeSpan.Zero,
        MaxDequeueCount = 5,
    };

    private readonly QueueClient _queue = new(azurite.ConnectionString, AzuriteFixture.UniqueName("listen"));
    private QueueClient Poison => new(azurite.ConnectionString, _queue.Name + "-poison");

    public async Task InitializeAsync()
    {
        await _queue.CreateIfNotExistsAsync();
        await Poison.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await _queue.DeleteAsync();
        await Poison.DeleteAsync();
    }

    private QueueListener Listener(Func<QueueTrigger, CancellationToken, Task> handler, TimeSpan? drain = null) =>
        new("Test", _queue, Poison, FastRetries, new QueueSignals(), handler, NullLogger.Instance, drain);

    [Fact]
    public async Task Message_IsHandledOnceAndDeleted()
    {
        var seen = new ConcurrentBag<QueueTrigger>();
        using var listener = Listener((m, _) => { seen.Add(m); return Task.CompletedTask; });
        await listener.StartAsync(CancellationToken.None);

        await _queue.SendMessageAsync("{\"n\":1}");
        await Eventually.Value(() => Task.FromResult(seen.Count), n => n == 1);
        await Eventually.Value(() => _queue.GetApproximateMessagesCountAsync(), n => n == 0);
        await listener.StopAsync(CancellationToken.None);

        var message = Assert.Single(seen);
        Assert.Equal("{\"n\":1}", message.Text);
        Assert.Equal(1, message.DequeueCount);
    }

    [Fact]
    public async Task FailingMessage_IsRetriedWithRisingDequeueCount_ThenPoisonedWithTextIntact()
    {
        var attempts = new ConcurrentQueue<long>();
        using var listener = Listener((m, _) =>
        {
            attempts.Enqueue(m.DequeueCount);
            throw new InvalidOperationException("always fails");
        });
        await listener.StartAsync(CancellationToken.None);

        await _queue.SendMessageAsync("poison me: čaj <&>");
        var poisoned = await Eventually.First(() => Poison.ReceiveMessagesAsync(), TimeSpan.FromSeconds(30));
        await listener.StopAsync(CancellationToken.None);

        Assert.Equal("poison me: čaj <&>", poisoned.Text);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], attempts.ToArray());
        Assert.Equal(0, await _queue.GetApproximateMessagesCountAsync());
    }

    [Fact]
    public async Task MessageDeliveredTooOftenByCrashedInstances_IsPoisonedWithoutRunning()
    {
        await _queue.SendMessageAsync("crashy");
        for (var i = 0; i < 5; i++)
        {
            var m = await Eventually.First(() => _queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)));
            await _queue.UpdateMessageAsync(m.MessageId, m.PopReceipt, TimeSpan.Zero);
        }

        var ran = 0;
        using var listener = Listener((_, _) => { Interlocked.Increment(ref ran); return Task.CompletedTask; });
        await listener.StartAsync(CancellationToken.None);
        var poisoned = await Eventually.First(() => Poison.ReceiveMessagesAsync());
        await listener.StopAsync(CancellationToken.None);

        Assert.Equal("crashy", poisoned.Text);
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task StoppingMidHandler_ReleasesTheMessage_WhichIsRedelivered()
    {
        var started = new TaskCompletionSource();
        using var stopping = Listener(async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, drain: TimeSpan.FromMilliseconds(200));
        await stopping.StartAsync(CancellationToken.None);
        await _queue.SendMessageAsync("survives shutdown");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(15));

        await stopping.StopAsync(CancellationToken.None);

        var handled = new TaskCompletionSource<QueueTrigger>();
        using var next = Listener((m, _) => { handled.TrySetResult(m); return Task.CompletedTask; });
        await next.StartAsync(CancellationToken.None);
        var redelivered = await handled.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await next.StopAsync(CancellationToken.None);

        Assert.Equal("survives shutdown", redelivered.Text);
        Assert.Equal(2, redelivered.DequeueCount);
    }

    [Fact]
    public async Task StoppingWhileHandlerFinishesWithinDrainTime_CompletesTheMessage()
    {
        var release = new TaskCompletionSource();
        var done = 0;
        using var listener = Listener(async (_, _) =>
        {
            await release.Task;
            Interlocked.Increment(ref done);
        });
        await listener.StartAsync(CancellationToken.None);
        await _queue.SendMessageAsync("finish me");
        await Eventually.Value(() => _queue.PeekMessagesAsync(), m => m.Count == 0);

        var stop = listener.StopAsync(CancellationToken.None);
        release.SetResult();
        await stop;

        Assert.Equal(1, done);
        Assert.Equal(0, await _queue.GetApproximateMessagesCountAsync());
    }

    [Fact]
    public async Task Concurrency_IsBoundedByBatchSizePlusThreshold()
    {
        var current = 0;
        var peak = 0;
        using var listener = Listener(async (_, _) =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref peak, now);
            await Task.Delay(150, CancellationToken.None);
            Interlocked.Decrement(ref current);
        });
        for (var i = 0; i < 20; i++)
        {
            await _queue.SendMessageAsync($"m{i}");
        }

        await listener.StartAsync(CancellationToken.None);
        await Eventually.Value(() => _queue.GetApproximateMessagesCountAsync(), n => n == 0, TimeSpan.FromSeconds(30));
        await listener.StopAsync(CancellationToken.None);

        Assert.InRange(peak, 2, FastRetries.BatchSize + FastRetries.NewBatchThreshold!.Value);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
