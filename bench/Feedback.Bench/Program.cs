using Feedback.Bench;
using Feedback.IntegrationTests.Infrastructure;

// Usage: dotnet run -c Release --project bench/Feedback.Bench -- [mode ...] [--name value ...]
// Each mode is one benchmark family; add a new one to Benches.All.
var (modes, settings) = BenchArguments.Parse(args);
var unknown = modes.Where(m => !Benches.All.ContainsKey(m)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown mode(s): {string.Join(", ", unknown)}. Modes: {string.Join(", ", Benches.All.Keys)}.");
    return 2;
}

await using var azurite = await Azurite.StartAsync();
var context = new BenchContext(azurite.ConnectionString, settings);
foreach (var mode in modes)
{
    Console.WriteLine($"== {mode}");
    await Benches.All[mode](context);
}

return 0;
