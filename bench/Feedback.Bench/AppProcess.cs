using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.Bench;

/// <summary>
/// The built function app as its own process on a free 127.0.0.1 port, as run.sh starts it, with its
/// output in a log file. Built with: dotnet build src/Feedback.Functions -c Release.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key-0123456789abcdef";

    private static readonly string[] Languages = ["cs"];

    /// <summary>A receipt campaign whose cap no bench reaches: every receipt answer earns a reward.</summary>
    public static readonly object ReceiptReward = new
    {
        title = new Dictionary<string, string> { ["cs"] = "Čaj", ["en"] = "Tea" },
        validDays = 30,
        dailyCap = 100_000,
        eligible = new[] { "receipt" },
    };

    private readonly Process _process;
    private readonly StreamWriter _log;

    private AppProcess(Process process, Uri baseUri, string logPath)
    {
        _process = process;
        BaseUri = baseUri;
        LogPath = logPath;
        _log = new StreamWriter(logPath);
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = baseUri };
    }

    public Uri BaseUri { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public HttpClient Client { get; }

    public double ResidentMegabytes => Measure.ResidentMegabytes(_process.Id);

    public static async Task<AppProcess> StartAsync(string connectionString, bool triggers)
    {
        var dll = Path.Combine(Azurite.RepositoryRoot(), "src", "Feedback.Functions", "bin", "Release", "net10.0", "Feedback.Functions.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing; run 'dotnet build src/Feedback.Functions -c Release'.");
        }

        var port = FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", baseUri.ToString().TrimEnd('/') },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["AzureWebJobsStorage"] = connectionString,
                ["Admin__ApiKey"] = AdminKey,
                ["Tokens__ActiveKeyId"] = "b1",
                ["Tokens__Keys__b1"] = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray()),
                ["PublicBaseUrl"] = baseUri.ToString(),
                ["Triggers__Standalone"] = triggers ? "true" : "false",
                ["RateLimits__TokenPerMinute"] = "1000000",
                ["RateLimits__IpPerMinute"] = "1000000",
                ["RateLimits__DevicePerMinute"] = "1000000",
                ["RateLimits__OpenTokenPerDay"] = "1000000",
            },
        };
        var logPath = Path.Combine(Path.GetTempPath(), $"feedback-bench-app-{port}.log");
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var app = new AppProcess(process, baseUri, logPath);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await app.Client.GetAsync(new Uri("/", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException) when (!process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                await app.DisposeAsync();
                throw new InvalidOperationException($"The app did not start; see {logPath}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>PUT /api/stores/{id}: creates the store, with a reward campaign when given.</summary>
    public async Task CreateStoreAsync(string storeId, object? reward = null)
    {
        using var request = Admin(HttpMethod.Put, $"/api/stores/{storeId}",
            new { name = "B", region = "r", timeZone = "Europe/Prague", languages = Languages, reward });
        using var response = await Client.SendAsync(request);
        await ExpectAsync(response, HttpStatusCode.Created);
    }

    /// <summary>
    /// POST /api/stores/{id}/tokens: a static token, or a receipt token when a receipt id is given. A token is its
    /// claims signed, so static tokens of one store minted in the same second are the same token: give each poster
    /// its own validity to tell them apart.
    /// </summary>
    public async Task<string> MintTokenAsync(string storeId, string? receiptId = null, int? validForDays = null)
    {
        using var request = Admin(HttpMethod.Post, $"/api/stores/{storeId}/tokens", new { touchpoint = "store", receiptId, validForDays });
        using var response = await Client.SendAsync(request);
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    /// <summary>POST /api/feedback with score 9; returns the status URL, or throws unless 202.</summary>
    public Task<Uri> SubmitAsync(string token, CancellationToken cancellationToken = default) => SubmitAsync(token, null, null, 9, cancellationToken);

    /// <summary>An answer with the token and score, and an id of the client's own and the page's day when given (as the survey page sends both).</summary>
    public async Task<Uri> SubmitAsync(string token, string? id, string? day, int score, CancellationToken cancellationToken)
    {
        var body = id is null ? $$"""{"token":"{{token}}","score":{{score}}}"""
            : day is null ? $$"""{"id":"{{id}}","token":"{{token}}","score":{{score}}}"""
            : $$"""{"id":"{{id}}","token":"{{token}}","score":{{score}},"day":"{{day}}"}""";
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(new Uri("/api/feedback", UriKind.Relative), content, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.Accepted);
        return response.Headers.Location ?? throw new InvalidOperationException("202 without a Location.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Log(string? line)
    {
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    private static HttpRequestMessage Admin(HttpMethod method, string path, object body) =>
        new(method, new Uri(path, UriKind.Relative))
        {
            Headers = { { "X-Admin-Key", AdminKey } },
            Content = JsonContent.Create(body),
        };

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, expected {(int)status}: " +
                await response.Content.ReadAsStringAsync());
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
