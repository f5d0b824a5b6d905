using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Feedback.Functions.Answers;
using Feedback.Functions.Processing;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.Bench;

/// <summary>
/// ProcessFeedback's throughput on a pre-filled feedback-submitted queue, beside the raw rate of
/// receive + one 2-action transaction + delete at the app's concurrency; then, under a steady load,
/// the latency from an answer's submission to "processed" and to a reward on its status URL.
/// </summary>
internal static class ProcessingBench
{
    private const string TimeZone = "Europe/Prague";

    /// <summary>
    /// <c>--promoters 1</c>: scores 9 and 10 only, so no answer asks for a follow-up and ProcessFeedback has the
    /// machine to itself; by default scores run 0–10 and 7 in 11 answers open a case in the same app.
    /// </summary>
    private static bool promotersOnly;

    /// <summary>host.json's batchSize: the listener receives 16 at a time and keeps 8–24 handlers running.</summary>
    private const int AppBatchSize = 16;

    public static async Task RunAsync(BenchContext context)
    {
        var count = context.Setting("messages", 1_000);
        var rounds = context.Setting("rounds", 5);
        var rate = context.Setting("rate", 20);
        var seconds = context.Setting("seconds", 30);
        var pollInterval = TimeSpan.FromMilliseconds(context.Setting("poll-ms", 50));
        var rewardStores = context.Setting("reward-stores", 1);
        promotersOnly = context.Setting("promoters", 0) == 1;
        Console.WriteLine($"messages={count} rounds={rounds} raw concurrency={AppBatchSize} latency load={rate}/s for {seconds} s " +
            $"(rewards at {rewardStores} store(s)), {(promotersOnly ? "promoters only" : "scores 0-10")}, status polled every {pollInterval.TotalMilliseconds} ms");
        const int WarmUpSeconds = 3;
        var receipts = rate * (seconds + WarmUpSeconds);

        // Stores and receipt tokens first, with the triggers off; tokens outlive the process (same keys).
        string[] receiptTokens;
        await using (var setup = await AppProcess.StartAsync(context.ConnectionString, triggers: false))
        {
            for (var round = 0; round <= rounds; round++)
            {
                await setup.CreateStoreAsync($"bench-p{round}");
            }

            await setup.CreateStoreAsync("bench-status");
            for (var store = 0; store < rewardStores; store++)
            {
                await setup.CreateStoreAsync($"bench-reward-{store}", AppProcess.ReceiptReward);
            }

            receiptTokens = new string[receipts];
            await Parallel.ForEachAsync(Enumerable.Range(0, receipts), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, _) => receiptTokens[i] = await setup.MintTokenAsync($"bench-reward-{i % rewardStores}", $"r{i:D6}"));
        }

        if (rounds > 0)
        {
            await ThroughputAsync(context, count, rounds);
        }

        if (seconds == 0)
        {
            return;
        }

        // A fresh app: a few seconds of the same load first, so the figures are not its JIT.
        await ResetGrowingTablesAsync(context);
        await using var app = await AppProcess.StartAsync(context.ConnectionString, triggers: true);
        // Several posters, each its own token (its own validity: a token is its signed claims).
        var statusTokens = new string[16];
        for (var i = 0; i < statusTokens.Length; i++)
        {
            statusTokens[i] = await app.MintTokenAsync("bench-status", validForDays: 300 + i);
        }

        var polled = -1;
        string StatusToken() => statusTokens[(Interlocked.Increment(ref polled) & int.MaxValue) % statusTokens.Length];
        var used = -1;
        string NextReceipt() => receiptTokens[Interlocked.Increment(ref used)];
        Func<JsonObject, bool> isProcessed = s => s["status"]?.GetValue<string>() == "processed";
        Func<JsonObject, bool> hasReward = s => s["reward"] is JsonObject;
        await LatencyAsync(app, "warm-up: submitted -> processed", rate, WarmUpSeconds, StatusToken, isProcessed, pollInterval);
        await LatencyAsync(app, "submitted -> processed", rate, seconds, StatusToken, isProcessed, pollInterval);
        await LatencyAsync(app, "warm-up: submitted -> reward visible", rate, WarmUpSeconds, NextReceipt, hasReward, pollInterval);
        await LatencyAsync(app, "submitted -> reward visible", rate, seconds, NextReceipt, hasReward, pollInterval);
    }

    /// <summary>Rounds of the app against the raw path, after a warm-up round (0) of each; medians and their ratio.</summary>
    private static async Task ThroughputAsync(BenchContext context, int count, int rounds)
    {
        var azurite = Measure.AzuritePid();
        var processed = new List<double>();
        var raw = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var appRate = await ProcessAsync(context, $"bench-p{round}", round == 0 ? 500 : count, azurite, round);
            var rawRate = await RawAsync(context, round == 0 ? 500 : count, azurite, round);
            if (round > 0)
            {
                processed.Add(appRate);
                raw.Add(rawRate);
            }
        }

        var ratio = Measure.Median(processed) / Measure.Median(raw);
        Console.WriteLine($"median ProcessFeedback: {Measure.Median(processed):F0} messages/s; median raw receive+transaction+delete: {Measure.Median(raw):F0} messages/s");
        Console.WriteLine($"processing / raw = {ratio:P0} (target >= 60 %: {(ratio >= 0.6 ? "met" : "NOT met")}); load {Measure.LoadAverage()}");
    }

    /// <summary>Fills feedback-submitted with the app off, starts it, and times the drain past the first 10 % (start-up and JIT).</summary>
    private static async Task<double> ProcessAsync(BenchContext context, string storeId, int count, int azurite, int round)
    {
        await ResetGrowingTablesAsync(context);
        var queue = QueueBench.Queue(context, QueueNames.FeedbackSubmitted);
        await queue.DeleteAsync();
        await queue.CreateIfNotExistsAsync();
        var submittedAt = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await queue.SendMessageAsync(JsonSerializer.Serialize(Answer(storeId, i, submittedAt), MessageQueue.Json), cancellationToken: ct));

        await using var app = await AppProcess.StartAsync(context.ConnectionString, triggers: true);
        var deadline = Stopwatch.StartNew();
        (long Timestamp, int Left)? first = null;
        CpuMeter? cpu = null;
        while (true)
        {
            var left = await queue.GetApproximateMessagesCountAsync();
            if (first is null && left <= count * 0.9)
            {
                first = (Stopwatch.GetTimestamp(), left);
                cpu = new CpuMeter(azurite, app.Pid);
            }

            if (left == 0)
            {
                break;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"{left} of {count} messages still queued after 5 minutes; see {app.LogPath}.");
            }

            await Task.Delay(50);
        }

        var seconds = Measure.Milliseconds(first!.Value.Timestamp, Stopwatch.GetTimestamp()) / 1000;
        var rate = first.Value.Left / seconds;
        var counted = await CountedAsync(context, storeId, submittedAt, count);
        var poison = await PoisonedAsync(context);
        Console.WriteLine($"{(round == 0 ? "warm-up" : $"round {round}")} ProcessFeedback {first.Value.Left,6} in {seconds,6:F2} s = {rate,5:F0} messages/s; " +
            $"counters sum {counted} of {count}{(counted == count ? "" : " MISMATCH")}{(poison > 0 ? $", {poison} POISON MESSAGES" : "")} ({cpu!.PerItem(first.Value.Left)}; load {Measure.LoadAverage()})");
        return rate;
    }

    /// <summary>
    /// Every status row has RowKey "", and Azurite looks entities up by RowKey first, so its status
    /// reads and writes slow down in proportion to the rows stored (Azure's do not). Each round
    /// therefore starts from empty per-answer tables; the app recreates them when it starts.
    /// </summary>
    private static async Task ResetGrowingTablesAsync(BenchContext context)
    {
        foreach (var name in new[] { TableNames.Feedback, TableNames.AnswerDays })
        {
            await new TableClient(context.ConnectionString, name).DeleteAsync();
        }
    }

    /// <summary>The store-day's "c.*" counter rows summed, once they reach <paramref name="expected"/> or after 30 s.</summary>
    private static async Task<long> CountedAsync(BenchContext context, string storeId, DateTimeOffset submittedAt, int expected)
    {
        var table = new TableClient(context.ConnectionString, TableNames.Feedback);
        var partition = new StoreDay(storeId, StoreDay.LocalDate(submittedAt, TimeZone)).Key;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"c."} and RowKey lt {"c/"}");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            long sum = 0;
            await foreach (var row in table.QueryAsync<TableEntity>(filter))
            {
                sum += row.GetInt64("Answered") ?? 0;
            }

            if (sum >= expected || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return sum;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<int> PoisonedAsync(BenchContext context)
    {
        try
        {
            return await QueueBench.Queue(context, QueueNames.FeedbackSubmitted + "-poison").GetApproximateMessagesCountAsync();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>Receive 16 at a time, 16 handlers: one 2-action transaction (answer + counter shard) and a delete per message.</summary>
    private static async Task<double> RawAsync(BenchContext context, int count, int azurite, int round)
    {
        var queue = QueueBench.NewQueue(context);
        var table = new TableClient(context.ConnectionString, "bench" + Guid.NewGuid().ToString("N")[..12]);
        await queue.CreateIfNotExistsAsync();
        await table.CreateIfNotExistsAsync();
        try
        {
            var submittedAt = DateTimeOffset.UtcNow;
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await queue.SendMessageAsync(JsonSerializer.Serialize(Answer("bench-raw", i, submittedAt), MessageQueue.Json), cancellationToken: ct));

            var cpu = new CpuMeter(azurite);
            var stopwatch = Stopwatch.StartNew();
            var done = 0;
            await Parallel.ForEachAsync(
                QueueBench.ReceiveUntilEmptyAsync(queue, AppBatchSize), new ParallelOptions { MaxDegreeOfParallelism = AppBatchSize },
                async (message, ct) =>
                {
                    var answer = MessageQueue.Read<FeedbackSubmitted>(message.Body.ToString());
                    var day = new StoreDay(answer.StoreId, StoreDay.LocalDate(answer.SubmittedAt, TimeZone));
                    var counter = new TableEntity(day.Key, StoreDayCounters.CounterRowKey(false, answer.Touchpoint.ToWire(), Random.Shared.Next(StoreDayCounters.Shards)))
                    {
                        ["Answered"] = 1L,
                    };
                    await table.SubmitTransactionAsync(
                    [
                        new(TableTransactionActionType.Add, AnswerEntity.From(day, answer)),
                        new(TableTransactionActionType.UpsertMerge, counter),
                    ], ct);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    Interlocked.Increment(ref done);
                });
            var rate = done / stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine($"{(round == 0 ? "warm-up" : $"round {round}")} raw receive+transaction+delete {done,6} in {stopwatch.Elapsed.TotalSeconds,6:F2} s = {rate,5:F0} messages/s ({cpu.PerItem(done)}; load {Measure.LoadAverage()})");
            return rate;
        }
        finally
        {
            await queue.DeleteAsync();
            await table.DeleteAsync();
        }
    }

    /// <summary>
    /// Answers at a steady rate; each polls its status URL until <paramref name="done"/>. Latency runs
    /// from the POST to the first poll that shows it: at most one poll interval (or a tenth of the wait) late.
    /// </summary>
    private static async Task LatencyAsync(
        AppProcess app, string name, int rate, int seconds, Func<string> token, Func<JsonObject, bool> done, TimeSpan pollInterval)
    {
        var cpu = new CpuMeter(Measure.AzuritePid(), app.Pid);
        var (latencies, _) = await IngestBench.OpenLoopAsync(rate, TimeSpan.FromSeconds(seconds), async ct =>
        {
            var statusUrl = await app.SubmitAsync(token(), ct);
            var waited = Stopwatch.StartNew();
            while (await app.Client.GetFromJsonAsync<JsonObject>(statusUrl, ct) is not { } status || !done(status))
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"{name}: {statusUrl} not done after 30 s; see {app.LogPath}.");
                }

                // Slower polls for slow answers, so polling cannot swamp a struggling app.
                await Task.Delay(TimeSpan.FromTicks(Math.Max(pollInterval.Ticks, waited.Elapsed.Ticks / 10)), ct);
            }
        });
        var (p50, p95, sent) = (Measure.Percentile(latencies, 50), Measure.Percentile(latencies, 95), latencies.Length);
        Console.WriteLine($"{name} at {rate}/s for {seconds} s ({sent} answers): p50 {p50:F0} ms, p95 {p95:F0} ms " +
            $"(target p95 < 1 s: {(p95 < 1000 ? "met" : "NOT met")}) ({cpu.PerItem(sent)}; load {Measure.LoadAverage()})");
    }

    // A realistic answer: score, CSAT, a reason and a short comment.
    private static FeedbackSubmitted Answer(string storeId, int i, DateTimeOffset submittedAt) => new(
        $"b{i:D7}{Guid.NewGuid():N}"[..22], storeId, Touchpoint.Store, AnswerSource.Token, null, null, null,
        new NpsScore(promotersOnly ? 9 + (i % 2) : i % 11), (i % 5) + 1, null, ["staff"], "Friendly staff, short queue.", "cs",
        submittedAt, submittedAt, null, null, null);
}
