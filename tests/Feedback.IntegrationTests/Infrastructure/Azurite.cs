using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Feedback.IntegrationTests.Infrastructure;

/// <summary>
/// An Azurite process from the repository's node_modules, in memory, on free ports.
/// One instance serves the whole test run; tests isolate themselves with unique names.
/// A durable one (<see cref="StartDurableAsync"/>) keeps its data in a temporary directory, so a fault test
/// can stop it and start it again on the same ports, and move its clock forward.
/// </summary>
public sealed partial class Azurite : IAsyncDisposable
{
    /// <summary>How far <see cref="AdvanceClockAsync"/> moves the emulator's clock: past the queue trigger's 10-minute receive lease.</summary>
    public static readonly TimeSpan ClockStep = TimeSpan.FromMinutes(11);

    private readonly string? _location;
    private readonly int _blobPort;
    private readonly int _queuePort;
    private readonly int _tablePort;
    private Process _process;

    /// <summary>Azurite's well-known development account key (public, not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Azurite(Process process, string? location, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _location = location;
        (_blobPort, _queuePort, _tablePort) = (blobPort, queuePort, tablePort);
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            $"AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    /// <summary>Starts Azurite; with <paramref name="debugLog"/>, it writes every request it serves to that file (<c>--debug</c>).</summary>
    public static async Task<Azurite> StartAsync(string? debugLog = null)
    {
        var (process, ports) = await LaunchAsync(null, 0, 0, 0, debugLog);
        return new Azurite(process, null, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    /// <summary>An Azurite whose data lives in a temporary directory (deleted on dispose) and whose clock can move forward.</summary>
    public static async Task<Azurite> StartDurableAsync()
    {
        var location = Directory.CreateTempSubdirectory("azurite-").FullName;
        var (process, ports) = await LaunchAsync(location, 0, 0, 0);
        return new Azurite(process, location, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    private static async Task<(Process Process, Dictionary<string, int> Ports)> LaunchAsync(string? location, int blobPort, int queuePort, int tablePort, string? debugLog = null)
    {
        var root = RepositoryRoot();
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}; run 'npm ci' in {root} (./test.sh does).");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        if (location is not null)
        {
            start.ArgumentList.Add("--require");
            start.ArgumentList.Add(Path.Combine(root, "tests", "Feedback.IntegrationTests", "Infrastructure", "azurite-clock.cjs"));
            start.Environment["AZURITE_CLOCK_STEP_SECONDS"] = ((int)ClockStep.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // --skipApiVersionCheck: the current SDKs (and the WebJobs queue extension's own clients, whose service
        // version the app does not choose) send x-ms-version values newer than Azurite 3.37 knows.
        string[] arguments = [script, .. location is null ? ["--inMemoryPersistence"] : new[] { "--location", location },
            "--disableTelemetry", "--silent", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Text(blobPort), "--queuePort", Text(queuePort), "--tablePort", Text(tablePort)];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (debugLog is not null)
        {
            start.ArgumentList.Add("--debug");
            start.ArgumentList.Add(debugLog);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var ports = new Dictionary<string, int>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (ports.Count < 3)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("Azurite exited: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            var match = Listening().Match(line);
            if (match.Success)
            {
                ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        // Keep draining output so Azurite never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return (process, ports);
    }

    private static string Text(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Feedback.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Feedback.sln) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Freezes the process (SIGSTOP): storage that accepts connections and never answers, an outage without data loss.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>Stops a durable Azurite as a shutdown does (SIGTERM: it saves its data and exits); nothing listens on its ports until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        RequireDurable();
        await SignalAsync("TERM");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(patience.Token);
    }

    /// <summary>Starts a stopped durable Azurite again, on the same ports, with the data it saved.</summary>
    public async Task StartAgainAsync()
    {
        RequireDurable();
        var stopped = _process;
        (_process, _) = await LaunchAsync(_location, _blobPort, _queuePort, _tablePort);
        stopped.Dispose();
    }

    /// <summary>Moves a durable Azurite's clock forward by <see cref="ClockStep"/>: receive leases that a lost instance held run out now.</summary>
    public Task AdvanceClockAsync()
    {
        RequireDurable();
        return SignalAsync("USR2");
    }

    private void RequireDurable()
    {
        if (_location is null)
        {
            throw new InvalidOperationException("Only an Azurite started with StartDurableAsync can be stopped, started again or have its clock moved.");
        }
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_location is not null)
        {
            Directory.Delete(_location, recursive: true);
        }
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
