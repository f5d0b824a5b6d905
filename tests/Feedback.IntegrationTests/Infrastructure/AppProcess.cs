using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Feedback.IntegrationTests.Infrastructure;

/// <summary>
/// The built function app as a child process, run as ./run.sh runs it (<c>dotnet Feedback.Functions.dll --urls …</c>,
/// standalone triggers, settings in the environment) on a free loopback port: for tests that kill it (SIGKILL) in the
/// middle of its work and start it again, which an in-process test server cannot survive.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The last lines the app wrote, for a failure message.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<AppProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        var dll = AppDll();
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", url },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["AzureWebJobsStorage"] = connectionString,
            ["Admin__ApiKey"] = AppFixture.AdminKey,
            ["Tokens__ActiveKeyId"] = AppFixture.TokenKeyId,
            ["Tokens__Keys__" + AppFixture.TokenKeyId] = AppFixture.TokenKeyBase64,
            ["PublicBaseUrl"] = url,
            ["Triggers__Standalone"] = "true",
        };
        foreach (var (key, value) in environment.Concat(settings))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var app = new AppProcess(process, new Uri(url));
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitUntilHealthyAsync();
        return app;
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress };

    public HttpClient AdminClient()
    {
        var client = Client();
        client.DefaultRequestHeaders.Add("X-Admin-Key", AppFixture.AdminKey);
        return client;
    }

    /// <summary>SIGKILL: no shutdown, no released messages, no flushed anything — a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            // A stop as the platform asks for one, so the listeners finish while storage is still there.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = Client();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("/api/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The app did not become healthy:\n" + Output);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>The function app's build output for the configuration these tests were built in.</summary>
    private static string AppDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var dll = Path.Combine(Azurite.RepositoryRoot(), "src", "Feedback.Functions", "bin", configuration, framework, "Feedback.Functions.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"The function app is not built at {dll}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
