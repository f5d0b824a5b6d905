using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Deployment;

/// <summary>
/// ./run.sh fails loudly: a busy port stops it before it starts anything, naming the port (or, asked to, it moves to a
/// free one), and an emulator that is not the one it started is never taken for it.
/// </summary>
public sealed class RunScriptTests
{
    private static readonly string Root = Azurite.RepositoryRoot();

    [Theory]
    [InlineData("PORT", "the app")]
    [InlineData("AZURITE_BLOB_PORT", "Azurite's blob service")]
    [InlineData("AZURITE_QUEUE_PORT", "Azurite's queue service")]
    [InlineData("AZURITE_TABLE_PORT", "Azurite's table service")]
    [InlineData("HOOK_PORT", "the demo webhook receiver")]
    public async Task RunScript_WithAPortTaken_StopsAtOnce_NamingThatPort(string setting, string what)
    {
        using var taken = Listen();
        var ports = FreePorts();
        ports[setting] = Port(taken).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exit, output) = await BashAsync(["run.sh"], ports);

        Assert.Equal(1, exit);
        Assert.Contains($"port {Port(taken)} ({what}) is already in use", output, StringComparison.Ordinal);
        Assert.Contains($"{setting}=<port>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Feedback is running", output, StringComparison.Ordinal);
        // Only the busy port is named.
        Assert.Single(output.Split('\n'), l => l.Contains("already in use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PortCheck_WithAutoPorts_MovesABusyPortToAFreeOne_AndSaysSo()
    {
        using var taken = Listen();
        var busy = Port(taken);

        var (exit, output) = await BashAsync(
            ["-c", "source scripts/ports.sh; require_free_ports AZURITE_QUEUE_PORT \"Azurite's queue service\"; echo \"chosen=$AZURITE_QUEUE_PORT\""],
            new Dictionary<string, string> { ["AZURITE_QUEUE_PORT"] = busy.ToString(System.Globalization.CultureInfo.InvariantCulture), ["AUTO_PORTS"] = "1" });

        Assert.Equal(0, exit);
        var chosen = int.Parse(output.Split('\n').Single(l => l.StartsWith("chosen=", StringComparison.Ordinal))[7..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(busy, chosen);
        Assert.Contains($"Port {busy} (Azurite's queue service) is in use; using {chosen} instead", output, StringComparison.Ordinal);
        using var free = new TcpListener(IPAddress.Loopback, chosen);
        free.Start();
    }

    [Fact]
    public async Task EmulatorCheck_WhenTheStartedProcessExits_StopsWithItsLog()
    {
        var log = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(log, "Exit due to unhandled error: listen EADDRINUSE: address already in use 127.0.0.1:10001\n");
            var (exit, output) = await BashAsync(
                ["-c", $"source scripts/ports.sh; sleep 0.3 & X=10001; wait_for_own_listeners $! '{log}' Azurite X"], []);

            Assert.Equal(1, exit);
            Assert.Contains("Azurite exited while starting", output, StringComparison.Ordinal);
            Assert.Contains("EADDRINUSE", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task EmulatorCheck_WhenAnotherProcessHoldsThePort_RefusesIt()
    {
        if (!File.Exists("/usr/bin/ss") && !File.Exists("/bin/ss"))
        {
            // Without ss the script cannot see who holds a port and relies on the emulator's own log.
            return;
        }

        using var other = Listen();
        var log = Path.GetTempFileName();
        try
        {
            // The started process claims the port in its log, but the listener on it is someone else's.
            await File.WriteAllTextAsync(log, $"Azurite Queue service is successfully listening at http://127.0.0.1:{Port(other)}\n");
            var (exit, output) = await BashAsync(
                ["-c", $"source scripts/ports.sh; sleep 30 & pid=$!; X={Port(other)}; (wait_for_own_listeners $pid '{log}' Azurite X); code=$?; kill $pid; exit $code"], []);

            Assert.Equal(1, exit);
            Assert.Contains($"port {Port(other)} answers, but not from the Azurite this script started", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static Dictionary<string, string> FreePorts()
    {
        var listeners = Enumerable.Range(0, 5).Select(_ => Listen()).ToList();
        var ports = new[] { "PORT", "AZURITE_BLOB_PORT", "AZURITE_QUEUE_PORT", "AZURITE_TABLE_PORT", "HOOK_PORT" }
            .Zip(listeners, (name, l) => (name, port: Port(l).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToDictionary(x => x.name, x => x.port);
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    private static async Task<(int Exit, string Output)> BashAsync(string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The script did not stop within a minute: " + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
