using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Feedback.Functions.Answers;
using Feedback.Functions.Scores;
using Feedback.Functions.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.Bench;

/// <summary>
/// AggregateScores over synthetic store-day counters: one fill, then full rebuilds (the first into an empty
/// rollups table, any further one over the rollups the one before wrote), then incremental runs touching 1, 10,
/// 100 and 1,000 store-days. Every storage request is counted and timed by kind, so a rebuild splits into its
/// counter scan, its rollup transactions and its scan for stale rows; CPU is split between the bench (which runs
/// the aggregator) and Azurite.
/// </summary>
internal static class ScoresBench
{
    private static readonly DateOnly FirstDay = new(2026, 8, 1);

    public static async Task RunAsync(BenchContext context)
    {
        var stores = context.Setting("stores", 1_000);
        var days = context.Setting("days", 90);
        var rebuilds = context.Setting("rebuilds", 1);
        var incremental = context.Setting("incremental", 1) != 0;
        var concurrency = context.Setting("concurrency", 32);
        var requests = new RequestTally();
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerRetry);
        // --connection: a storage account instead of the bench's Azurite (Azurite's CPU is then not the account's).
        var connection = context.Settings.GetValueOrDefault("connection", context.ConnectionString);
        var storage = new StorageAccount(new TableServiceClient(connection, options), new QueueServiceClient(connection));
        foreach (var name in TableNames.All)
        {
            await storage.Table(name).CreateIfNotExistsAsync();
        }

        int? azurite = connection == context.ConnectionString ? Measure.AzuritePid() : null;
        var aggregator = new ScoreAggregator(storage, NullLogger<ScoreAggregator>.Instance, TimeProvider.System);
        Console.WriteLine($"stores={stores} days={days} rebuilds={rebuilds} fill concurrency={concurrency} load {Measure.LoadAverage()}" +
            (azurite is null ? ", storage: the account in --connection"
                : Environment.GetEnvironmentVariable("NODE_OPTIONS") is { Length: > 0 } node ? $", Azurite with NODE_OPTIONS={node}" : ", stock Azurite"));

        var cpu = Cpu.Start(azurite);
        var fill = Stopwatch.StartNew();
        await FillAsync(storage, stores, days, concurrency);
        Console.WriteLine($"fill {stores} stores × {days} days = {stores * days} counter rows: {fill.Elapsed.TotalSeconds:F1} s, " +
            $"{requests.Take().Sum(r => r.Count)} requests, {cpu.Report()}, load {Measure.LoadAverage()}");

        for (var i = 1; i <= rebuilds; i++)
        {
            cpu = Cpu.Start(azurite);
            var rebuild = await aggregator.RunAsync(rebuild: true, CancellationToken.None);
            var kinds = requests.Take();
            Console.WriteLine($"rebuild {i} ({(i == 1 ? "into an empty rollups table" : "over existing rollups")}): {rebuild.StoreDays} store-days → " +
                $"{rebuild.Rollups} rollup rows in {rebuild.Elapsed.TotalSeconds:F1} s, {kinds.Sum(k => k.Count)} requests, {cpu.Report()}, load {Measure.LoadAverage()}");
            foreach (var kind in kinds)
            {
                Console.WriteLine($"  {kind.Kind}: {kind.Count} requests, {kind.Entities} rows returned, {kind.Seconds:F1} s from first to last");
            }
        }

        if (!incremental)
        {
            return;
        }

        await aggregator.RunAsync(rebuild: false, CancellationToken.None);
        foreach (var touched in new[] { 1, 10, 100, 1_000 })
        {
            await TouchAsync(storage, touched, stores, days, concurrency);
            var run = await aggregator.RunAsync(rebuild: false, CancellationToken.None);
            Console.WriteLine($"incremental after answers in {touched} store-day(s): {run.StoreDays} store-days, {run.Rollups} rows, {run.Elapsed.TotalMilliseconds:F0} ms");
        }
    }

    /// <summary>One store row and one counter shard per store-day, as ProcessFeedback would leave them (inserted: the table starts empty).</summary>
    private static async Task FillAsync(StorageAccount storage, int count, int days, int concurrency)
    {
        var stores = storage.Table(TableNames.Stores);
        var feedback = storage.Table(TableNames.Feedback);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (s, ct) =>
        {
            await stores.UpsertEntityAsync(new TableEntity(StoreId(s), "") { ["Name"] = $"Store {s}", ["Region"] = $"r{s % 10}", ["TimeZone"] = "Europe/Prague" }, cancellationToken: ct);
        });
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count).SelectMany(s => Enumerable.Range(0, days).Select(d => (s, d))),
            parallel,
            async (sd, ct) => await feedback.AddEntityAsync(Counter(sd.s, sd.d, 0), ct));
    }

    private static async Task TouchAsync(StorageAccount storage, int count, int stores, int days, int concurrency)
    {
        var feedback = storage.Table(TableNames.Feedback);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var (s, d) = (i % stores, i / stores % days);
            await feedback.UpsertEntityAsync(Counter(s, d, 1), cancellationToken: ct);
            await DirtyStoreDays.MarkAsync(storage, new StoreDay(StoreId(s), FirstDay.AddDays(d)), ct);
        });
    }

    private static TableEntity Counter(int store, int day, int extra)
    {
        var seed = (store * 31) + day;
        var counts = new ScoreCounts { Detractors = seed % 3 };
        for (var i = 0; i < (seed % 7) + extra; i++)
        {
            counts += ScoreCounts.Of(new NpsScore(9), 5, 2, verified: i % 2 == 0);
        }

        var row = new TableEntity(new StoreDay(StoreId(store), FirstDay.AddDays(day)).Key, "c.store.0");
        counts.WriteTo(row);
        return row;
    }

    private static string StoreId(int i) => $"s{i:D4}";

    /// <summary>CPU seconds of the bench (the aggregator runs in it) and of the bench's Azurite, when it is the storage, since <see cref="Start"/>.</summary>
    private sealed record Cpu(int? Azurite, double Bench0, double Azurite0)
    {
        public static Cpu Start(int? azurite) => new(azurite, Measure.CpuSeconds(Environment.ProcessId), azurite is { } pid ? Measure.CpuSeconds(pid) : 0);

        public string Report() =>
            $"CPU s: bench {Measure.CpuSeconds(Environment.ProcessId) - Bench0:F1}" +
            (Azurite is { } pid ? $", Azurite {Measure.CpuSeconds(pid) - Azurite0:F1}" : "");
    }

    /// <summary>
    /// Every table request by kind ("GET feedback" is a page of a query, "POST $batch" a transaction): how many, the
    /// rows the query pages returned, and the time from the first one's start to the last one's end.
    /// </summary>
    private sealed class RequestTally : HttpPipelinePolicy
    {
        private readonly ConcurrentDictionary<string, Kind> _kinds = new(StringComparer.Ordinal);

        public List<(string Kind, int Count, long Entities, double Seconds)> Take()
        {
            var taken = _kinds.OrderBy(k => k.Value.First).Select(k => (k.Key, k.Value.Count, k.Value.Entities, Measure.Milliseconds(k.Value.First, k.Value.Last) / 1000)).ToList();
            _kinds.Clear();
            return taken;
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var started = Stopwatch.GetTimestamp();
            await ProcessNextAsync(message, pipeline);
            Record(message, started);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var started = Stopwatch.GetTimestamp();
            ProcessNext(message, pipeline);
            Record(message, started);
        }

        private void Record(HttpMessage message, long started)
        {
            var ended = Stopwatch.GetTimestamp();
            var path = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Last();
            var resource = path.Split('(')[0];
            var entities = message.Request.Method == RequestMethod.Get && message.Response.ContentStream is { CanSeek: true } body ? RowsIn(body) : 0;
            var kind = _kinds.GetOrAdd($"{message.Request.Method} {resource}", _ => new Kind { First = started });
            lock (kind)
            {
                kind.Count++;
                kind.Entities += entities;
                kind.First = Math.Min(kind.First, started);
                kind.Last = Math.Max(kind.Last, ended);
            }
        }

        /// <summary>Rows in a query page: the length of its JSON "value" array.</summary>
        private static int RowsIn(Stream body)
        {
            var position = body.Position;
            using var json = System.Text.Json.JsonDocument.Parse(body);
            body.Position = position;
            return json.RootElement.TryGetProperty("value", out var value) ? value.GetArrayLength() : 1;
        }

        private sealed class Kind
        {
            public int Count;
            public long Entities;
            public long First;
            public long Last;
        }
    }
}
