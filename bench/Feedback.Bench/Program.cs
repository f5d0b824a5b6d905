using System.Diagnostics;
using System.Runtime.InteropServices;
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

// Ctrl+C or a kill must not leave Azurite or a started app behind.
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillChildren());
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillChildren());

await using var azurite = await Azurite.StartAsync();
var context = new BenchContext(azurite.ConnectionString, settings);
foreach (var mode in modes)
{
    Console.WriteLine($"== {mode}");
    await Benches.All[mode](context);
}

return 0;

static void KillChildren()
{
    foreach (var pid in Measure.ChildProcessIds())
    {
        using var child = Process.GetProcessById(pid);
        child.Kill(entireProcessTree: true);
    }
}
