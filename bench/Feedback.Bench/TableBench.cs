using System.Diagnostics;
using Azure.Data.Tables;

namespace Feedback.Bench;

/// <summary>Entities per second: single inserts at a fixed concurrency vs 100-action transactions.</summary>
internal static class TableBench
{
    private const int TransactionSize = 100;

    public static async Task RunAsync(BenchContext context)
    {
        var singles = context.Setting("single", 3_000);
        var batched = context.Setting("batched", 30_000);
        var concurrency = context.Setting("concurrency", 16);
        var rounds = context.Setting("rounds", 3);
        Console.WriteLine($"single={singles} batched={batched} concurrency={concurrency} transaction size={TransactionSize} rounds={rounds}");

        // Warm-up: JIT, connection pool, Azurite's own code paths.
        await SingleInsertsAsync(context, 500, concurrency);
        await TransactionsAsync(context, 2_000, concurrency);

        var single = new List<TimeSpan>();
        var transactions = new List<TimeSpan>();
        for (var round = 1; round <= rounds; round++)
        {
            single.Add(await SingleInsertsAsync(context, singles, concurrency));
            Report($"round {round} single inserts", singles, single[^1]);
            transactions.Add(await TransactionsAsync(context, batched, concurrency));
            Report($"round {round} transactions", batched, transactions[^1]);
        }

        // The median round: a shared machine makes single rounds noisy.
        var singleRate = Rate(singles, Median(single));
        var transactionRate = Rate(batched, Median(transactions));
        Console.WriteLine($"median single inserts: {singleRate:F0} entities/s");
        Console.WriteLine($"median transactions of {TransactionSize}: {transactionRate:F0} entities/s");
        Console.WriteLine($"ratio: transactions are {transactionRate / singleRate:F1}x single inserts");
    }

    private static TimeSpan Median(List<TimeSpan> samples) => samples.Order().ElementAt(samples.Count / 2);

    private static async Task<TimeSpan> SingleInsertsAsync(BenchContext context, int count, int concurrency) =>
        await WithTableAsync(context, table => Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, ct) => await table.AddEntityAsync(Answer($"store{i % 50:D2}", i), ct)));

    private static async Task<TimeSpan> TransactionsAsync(BenchContext context, int count, int concurrency) =>
        await WithTableAsync(context, table => Parallel.ForEachAsync(
            Enumerable.Range(0, (count + TransactionSize - 1) / TransactionSize),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (batch, ct) =>
            {
                var size = Math.Min(TransactionSize, count - (batch * TransactionSize));
                await table.SubmitTransactionAsync(
                    Enumerable.Range(batch * TransactionSize, size).Select(i =>
                        new TableTransactionAction(TableTransactionActionType.Add, Answer($"batch{batch:D5}", i))),
                    ct);
            }));

    private static async Task<TimeSpan> WithTableAsync(BenchContext context, Func<TableClient, Task> work)
    {
        var table = new TableClient(context.ConnectionString, "bench" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync();
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await work(table);
            return stopwatch.Elapsed;
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    // Shaped like a stored answer: a few scores, a comment, a time and an id.
    private static TableEntity Answer(string partition, int i) => new(partition, i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture))
    {
        ["Score"] = i % 11,
        ["Csat"] = (i % 5) + 1,
        ["Comment"] = "Friendly staff, short queue, would come back again. #" + i,
        ["SubmittedAt"] = DateTimeOffset.UtcNow,
        ["FeedbackId"] = Guid.NewGuid(),
        ["Rewarded"] = i % 3 == 0,
    };

    private static double Rate(int count, TimeSpan elapsed) => count / elapsed.TotalSeconds;

    private static void Report(string name, int count, TimeSpan elapsed) =>
        Console.WriteLine($"{name,-30} {count,7} entities in {elapsed.TotalSeconds,6:F2} s = {Rate(count, elapsed),8:F0} entities/s");
}
