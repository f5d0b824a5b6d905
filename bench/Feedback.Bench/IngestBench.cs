using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;

namespace Feedback.Bench;

/// <summary>
/// POST /api/feedback against the real app (its own process, triggers off so nothing else competes):
/// closed-loop requests/s with p50/p99 beside the raw queue-send rate at the same concurrency, then
/// open-loop latency at half that rate, then the app's resident memory.
/// </summary>
internal static class IngestBench
{
    private const string StoreId = "bench-ingest";

    public static async Task RunAsync(BenchContext context)
    {
        var count = context.Setting("requests", 5_000);
        var concurrency = context.Setting("concurrency", 32);
        var rounds = context.Setting("rounds", 3);
        var paced = TimeSpan.FromSeconds(context.Setting("paced-seconds", 10));
        // 0: no id; 1: the client's own id (an API client); 2: the id and the page's day, as the survey page sends them.
        var ids = context.Setting("ids", 0);
        var day = ids == 2 ? Feedback.Functions.Answers.StoreDay.LocalDate(DateTimeOffset.UtcNow, "Europe/Prague").ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null;
        Console.WriteLine($"requests={count} concurrency={concurrency} rounds={rounds} paced={paced.TotalSeconds} s " +
            (ids switch { 1 => "(answers carry the client's own id)", 2 => "(answers carry their id and the page's day, as the survey page sends them)", _ => "(answers without an id)" }));
        var azurite = Measure.AzuritePid();

        await using var app = await AppProcess.StartAsync(context.ConnectionString, triggers: false);
        Console.WriteLine($"app pid {app.Pid}, log {app.LogPath}");
        var raw = QueueBench.NewQueue(context);
        await raw.CreateIfNotExistsAsync();
        try
        {
            await app.CreateStoreAsync(StoreId);
            // Posters at many tables, each its own token (its own validity: a token is its signed claims).
            var tokens = new string[64];
            for (var i = 0; i < tokens.Length; i++)
            {
                tokens[i] = await app.MintTokenAsync(StoreId, validForDays: 300 + i);
            }

            if (tokens.Distinct().Count() != tokens.Length)
            {
                throw new InvalidOperationException("The posters' tokens are not distinct.");
            }

            var next = -1;
            string Token() => tokens[(Interlocked.Increment(ref next) & int.MaxValue) % tokens.Length];
            var message = JsonSerializer.Serialize(SimilarMessage(), MessageQueue.Json);

            // Warm-up of both paths: JIT, connection pools, the store cache.
            await ClosedLoopAsync(1_000, concurrency, ct => app.SubmitAsync(Token(), ids > 0 ? Guid.NewGuid().ToString("N") : null, day, 9, ct));
            await ClosedLoopAsync(1_000, concurrency, ct => raw.SendMessageAsync(message, cancellationToken: ct));

            var sendRates = new List<double>();
            var ingest = new List<(double Rate, double P50, double P99)>();
            for (var round = 1; round <= rounds; round++)
            {
                var cpu = new CpuMeter(azurite);
                var send = await ClosedLoopAsync(count, concurrency, ct => raw.SendMessageAsync(message, cancellationToken: ct));
                Report($"round {round} raw queue send", count, send, cpu.PerItem(count));
                sendRates.Add(send.Rate);

                cpu = new CpuMeter(azurite, app.Pid);
                var answers = await ClosedLoopAsync(count, concurrency, ct => app.SubmitAsync(Token(), ids > 0 ? Guid.NewGuid().ToString("N") : null, day, 9, ct));
                Report($"round {round} POST /api/feedback", count, answers, cpu.PerItem(count));
                ingest.Add(answers);
            }

            var sendRate = Measure.Median(sendRates);
            var ingestRate = Measure.Median(ingest.Select(r => r.Rate));
            var ratio = ingestRate / sendRate;
            Console.WriteLine($"median raw queue send: {sendRate:F0} messages/s (concurrency {concurrency})");
            Console.WriteLine($"median ingest: {ingestRate:F0} requests/s, p50 {Measure.Median(ingest.Select(r => r.P50)):F1} ms, " +
                $"p99 {Measure.Median(ingest.Select(r => r.P99)):F1} ms");
            Console.WriteLine($"ingest / raw send = {ratio:P0} (target >= 80 %: {(ratio >= 0.8 ? "met" : "NOT met")}); load {Measure.LoadAverage()}");

            var rate = ingestRate / 2;
            var cpuPaced = new CpuMeter(azurite, app.Pid);
            var (latencies, lag) = await OpenLoopAsync(rate, paced, ct => app.SubmitAsync(Token(), ids > 0 ? Guid.NewGuid().ToString("N") : null, day, 9, ct));
            var (p50, p99, sent) = (Measure.Percentile(latencies, 50), Measure.Percentile(latencies, 99), latencies.Length);
            Console.WriteLine($"paced at {rate:F0} requests/s for {paced.TotalSeconds:F0} s ({sent} requests): p50 {p50:F1} ms, p99 {p99:F1} ms " +
                $"(target p99 < 25 ms: {(p99 < 25 ? "met" : "NOT met")}); p99 dispatch lag {lag:F1} ms; {cpuPaced.PerItem(sent)}; load {Measure.LoadAverage()}");

            var resident = app.ResidentMegabytes;
            Console.WriteLine($"app VmRSS after the load: {resident:F0} MB (target < 200 MB: {(resident < 200 ? "met" : "NOT met")})");
        }
        finally
        {
            await raw.DeleteAsync();
            // The app's queue holds every accepted answer; empty it for the modes that follow.
            await QueueBench.Queue(context, QueueNames.FeedbackSubmitted).DeleteAsync();
        }
    }

    /// <summary>Runs <paramref name="count"/> calls, <paramref name="concurrency"/> at a time: calls/s and latency percentiles in ms.</summary>
    public static async Task<(double Rate, double P50, double P99)> ClosedLoopAsync(int count, int concurrency, Func<CancellationToken, Task> call)
    {
        var latencies = new double[count];
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var start = Stopwatch.GetTimestamp();
            await call(ct);
            latencies[i] = Measure.Milliseconds(start, Stopwatch.GetTimestamp());
        });
        var rate = count / stopwatch.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return (rate, Measure.Percentile(latencies, 50), Measure.Percentile(latencies, 99));
    }

    /// <summary>
    /// Starts calls at a fixed rate whatever the answers' latency (open loop), for a bounded time.
    /// Latency counts from each call's actual start; the dispatch lag says how late the bench started them.
    /// </summary>
    public static async Task<(double[] SortedLatencies, double DispatchLagP99)> OpenLoopAsync(
        double rate, TimeSpan duration, Func<CancellationToken, Task> call)
    {
        var count = (int)(rate * duration.TotalSeconds);
        var latencies = new double[count];
        var lags = new double[count];
        var calls = new List<Task>(count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i / rate * Stopwatch.Frequency);
            var wait = Measure.Milliseconds(Stopwatch.GetTimestamp(), due);
            if (wait >= 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait));
            }

            var index = i;
            lags[index] = Math.Max(0, Measure.Milliseconds(due, Stopwatch.GetTimestamp()));
            calls.Add(Task.Run(async () =>
            {
                var begun = Stopwatch.GetTimestamp();
                await call(CancellationToken.None);
                latencies[index] = Measure.Milliseconds(begun, Stopwatch.GetTimestamp());
            }));
        }

        await Task.WhenAll(calls);
        Array.Sort(latencies);
        Array.Sort(lags);
        return (latencies, Measure.Percentile(lags, 99));
    }

    // What the app enqueues for a score-only token answer.
    private static FeedbackSubmitted SimilarMessage() => new(
        "Xq3tJ9m2Hk1vR8wZp0bLcA", StoreId, Touchpoint.Store, AnswerSource.Token, null, null, null,
        new NpsScore(9), null, null, [], null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null, null);

    private static void Report(string name, int count, (double Rate, double P50, double P99) result, string cpu) =>
        Console.WriteLine($"{name,-32} {count,6}: {result.Rate,6:F0}/s  p50 {result.P50,5:F1} ms  p99 {result.P99,6:F1} ms  ({cpu}; load {Measure.LoadAverage()})");
}
