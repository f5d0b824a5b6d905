using System.Diagnostics;
using System.Runtime.CompilerServices;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.Bench;

/// <summary>
/// Messages per second through QueueClient: sends at a fixed concurrency, then a drain that receives
/// 32 at a time and deletes each. Messages are base64-encoded, as the app sends them.
/// </summary>
internal static class QueueBench
{
    public static async Task RunAsync(BenchContext context)
    {
        var count = context.Setting("messages", 5_000);
        var concurrency = context.Setting("concurrency", 16);
        var rounds = context.Setting("rounds", 3);
        Console.WriteLine($"messages={count} concurrency={concurrency} receive batch={MaxMessagesPerReceive} rounds={rounds}");
        var azurite = Measure.AzuritePid();

        // Warm-up: JIT, connection pool, Azurite's own code paths.
        await RoundAsync(context, 500, concurrency, azurite);

        var sends = new List<double>();
        var drains = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var (send, drain) = await RoundAsync(context, count, concurrency, azurite, $"round {round}");
            sends.Add(send);
            drains.Add(drain);
        }

        Console.WriteLine($"median send: {Measure.Median(sends):F0} messages/s");
        Console.WriteLine($"median receive(32)+delete: {Measure.Median(drains):F0} messages/s");
        Console.WriteLine($"load average: {Measure.LoadAverage()}");
    }

    /// <summary>
    /// Receives <paramref name="batchSize"/> at a time until a receive comes back empty, for
    /// Parallel.ForEachAsync to hand out: receiving overlaps the handling of the previous batch.
    /// </summary>
    /// <summary>The most messages one Get Messages call returns.</summary>
    public const int MaxMessagesPerReceive = 32;

    public static async IAsyncEnumerable<QueueMessage> ReceiveUntilEmptyAsync(
        QueueClient queue, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            QueueMessage[] messages = await queue.ReceiveMessagesAsync(batchSize, TimeSpan.FromMinutes(5), cancellationToken);
            if (messages.Length == 0)
            {
                yield break;
            }

            foreach (var message in messages)
            {
                yield return message;
            }
        }
    }

    public static QueueClient NewQueue(BenchContext context) => Queue(context, "bench-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>A queue client that encodes as the app does (Base64, what the queue trigger decodes).</summary>
    public static QueueClient Queue(BenchContext context, string name) =>
        new(context.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private static async Task<(double Send, double Drain)> RoundAsync(
        BenchContext context, int count, int concurrency, int azurite, string? name = null)
    {
        var queue = NewQueue(context);
        await queue.CreateIfNotExistsAsync();
        try
        {
            var text = Message();
            var cpu = new CpuMeter(azurite);
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
                async (_, ct) => await queue.SendMessageAsync(text, cancellationToken: ct));
            var send = count / stopwatch.Elapsed.TotalSeconds;
            Report(name, "send", count, stopwatch.Elapsed, cpu.PerItem(count));

            cpu = new CpuMeter(azurite);
            stopwatch.Restart();
            var drained = 0;
            var goneAlready = 0;
            await Parallel.ForEachAsync(
                ReceiveUntilEmptyAsync(queue, MaxMessagesPerReceive), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
                async (message, ct) =>
                {
                    try
                    {
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    }
                    catch (Azure.RequestFailedException e) when (e.Status == 404)
                    {
                        // Seen under heavy machine load: a delete the client retried after the first attempt had succeeded.
                        Interlocked.Increment(ref goneAlready);
                    }

                    Interlocked.Increment(ref drained);
                });
            var drain = drained / stopwatch.Elapsed.TotalSeconds;
            Report(name, "receive(32)+delete", drained, stopwatch.Elapsed, cpu.PerItem(drained) + (goneAlready > 0 ? $"; {goneAlready} deletes found the message gone" : ""));
            if (drained != count || await queue.GetApproximateMessagesCountAsync() != 0)
            {
                throw new InvalidOperationException($"Drained {drained} of {count} messages.");
            }

            return (send, drain);
        }
        finally
        {
            await queue.DeleteAsync();
        }
    }

    // About the size of a FeedbackSubmitted message with a comment (~500 bytes of JSON).
    private static string Message() => System.Text.Json.JsonSerializer.Serialize(new
    {
        id = Guid.NewGuid().ToString("N"),
        storeId = "bench",
        touchpoint = "store",
        source = "token",
        score = 9,
        reasons = Array.Empty<string>(),
        comment = new string('x', 300),
        submittedAt = DateTimeOffset.UtcNow,
    });

    private static void Report(string? name, string what, int count, TimeSpan elapsed, string cpu)
    {
        if (name is not null)
        {
            Console.WriteLine($"{name} {what,-20} {count,6} in {elapsed.TotalSeconds,6:F2} s = {count / elapsed.TotalSeconds,7:F0} messages/s  ({cpu}; load {Measure.LoadAverage()})");
        }
    }
}
