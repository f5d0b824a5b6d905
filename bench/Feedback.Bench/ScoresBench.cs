using System.Diagnostics;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Scores;
using Feedback.Functions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.Bench;

/// <summary>
/// AggregateScores over synthetic store-day counters: a full rebuild as stores grow (250 → 1,000 stores
/// × 90 days), and incremental runs touching 1, 10, 100 and 1,000 store-days.
/// </summary>
internal static class ScoresBench
{
    private static readonly DateOnly FirstDay = new(2026, 8, 1);

    public static async Task RunAsync(BenchContext context)
    {
        var stores = context.Setting("stores", 1_000);
        var days = context.Setting("days", 90);
        var steps = context.Setting("steps", 4);
        var concurrency = context.Setting("concurrency", 32);
        var storage = new ServiceCollection().AddLogging().AddStorage(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = context.ConnectionString }).Build())
            .BuildServiceProvider().GetRequiredService<StorageAccount>();
        foreach (var name in TableNames.All)
        {
            await storage.Table(name).CreateIfNotExistsAsync();
        }

        var aggregator = new ScoreAggregator(storage, NullLogger<ScoreAggregator>.Instance, TimeProvider.System);
        Console.WriteLine($"stores={stores} days={days} steps={steps} fill concurrency={concurrency}");

        var filled = 0;
        for (var step = 1; step <= steps; step++)
        {
            var upTo = stores * step / steps;
            var fill = Stopwatch.StartNew();
            await FillAsync(storage, filled, upTo, days, concurrency);
            Console.WriteLine($"filled stores {filled}..{upTo - 1} × {days} days in {fill.Elapsed.TotalSeconds:F1} s");
            filled = upTo;

            var rebuild = await aggregator.RunAsync(rebuild: true, CancellationToken.None);
            Console.WriteLine($"rebuild {filled} stores × {days} days = {rebuild.StoreDays} store-days → {rebuild.Rollups} rollup rows: " +
                $"{rebuild.Elapsed.TotalSeconds:F1} s ({rebuild.StoreDays / rebuild.Elapsed.TotalSeconds:F0} store-days/s)");
        }

        await aggregator.RunAsync(rebuild: false, CancellationToken.None);
        foreach (var touched in new[] { 1, 10, 100, 1_000 })
        {
            await TouchAsync(storage, touched, filled, days, concurrency);
            var run = await aggregator.RunAsync(rebuild: false, CancellationToken.None);
            Console.WriteLine($"incremental after answers in {touched} store-day(s): {run.StoreDays} store-days, {run.Rollups} rows, {run.Elapsed.TotalMilliseconds:F0} ms");
        }
    }

    /// <summary>One store row and one counter shard per store-day, as ProcessFeedback would leave them.</summary>
    private static async Task FillAsync(StorageAccount storage, int fromStore, int toStore, int days, int concurrency)
    {
        var stores = storage.Table(TableNames.Stores);
        var feedback = storage.Table(TableNames.Feedback);
        await Parallel.ForEachAsync(Enumerable.Range(fromStore, toStore - fromStore), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (s, ct) =>
        {
            await stores.UpsertEntityAsync(new TableEntity(StoreId(s), "") { ["Name"] = $"Store {s}", ["Region"] = $"r{s % 10}", ["TimeZone"] = "Europe/Prague" }, cancellationToken: ct);
        });
        await Parallel.ForEachAsync(
            Enumerable.Range(fromStore, toStore - fromStore).SelectMany(s => Enumerable.Range(0, days).Select(d => (s, d))),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (sd, ct) => await feedback.UpsertEntityAsync(Counter(sd.s, sd.d, 0), cancellationToken: ct));
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
}
