namespace Feedback.Bench;

/// <summary>What a benchmark gets: a fresh Azurite's connection string and the --name value settings.</summary>
internal sealed record BenchContext(string ConnectionString, IReadOnlyDictionary<string, string> Settings)
{
    public int Setting(string name, int defaultValue) =>
        Settings.TryGetValue(name, out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : defaultValue;
}

internal static class Benches
{
    /// <summary>Benchmark families by mode name. </summary>
    public static readonly IReadOnlyDictionary<string, Func<BenchContext, Task>> All =
        new Dictionary<string, Func<BenchContext, Task>>(StringComparer.OrdinalIgnoreCase)
        {
            ["tables"] = TableBench.RunAsync,
            ["scores"] = ScoresBench.RunAsync,
            ["queues"] = QueueBench.RunAsync,
            ["ingest"] = IngestBench.RunAsync,
            ["processing"] = ProcessingBench.RunAsync,
            ["requests"] = RequestsBench.RunAsync,
        };
}

internal static class BenchArguments
{
    /// <summary>Bare words are modes (default: tables); "--name value" pairs are settings.</summary>
    public static (List<string> Modes, Dictionary<string, string> Settings) Parse(string[] args)
    {
        var modes = new List<string>();
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                settings[args[i][2..]] = args[++i];
            }
            else
            {
                modes.Add(args[i]);
            }
        }

        return (modes.Count == 0 ? ["tables"] : modes, settings);
    }
}
