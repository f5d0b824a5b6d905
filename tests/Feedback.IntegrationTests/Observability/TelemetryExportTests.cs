using System.Net;
using System.Net.Sockets;
using Azure.Identity;
using Feedback.Functions.Hosting;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Feedback.IntegrationTests.Observability;

/// <summary>Where telemetry goes: Azure Monitor when its connection string is set, OTLP when its endpoint is, else nowhere.</summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public void WithNeitherSetting_NothingIsExported()
    {
        var services = Wire([]);

        Assert.DoesNotContain(services, d => Names(d).Any(n => n.Contains("AzureMonitor", StringComparison.Ordinal)));
        Assert.DoesNotContain(services, d => Names(d).Any(n => n.Contains("Otlp", StringComparison.Ordinal)));
    }

    [Fact]
    public void WithAnApplicationInsightsConnectionString_TheAzureMonitorExporterIsWired_AndOtlpIsNot()
    {
        var services = Wire(new() { [Telemetry.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000" });

        Assert.Contains(services, d => Names(d).Any(n => n.Contains("AzureMonitor", StringComparison.Ordinal)));
        Assert.DoesNotContain(services, d => Names(d).Any(n => n.Contains("Otlp", StringComparison.Ordinal)));
    }

    [Fact]
    public void EntraIdAuthentication_UsesTheManagedIdentityTheInfraNames()
    {
        Assert.IsType<ManagedIdentityCredential>(Telemetry.AzureMonitorCredential("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD"));
        Assert.IsType<ManagedIdentityCredential>(Telemetry.AzureMonitorCredential("Authorization=AAD"));
        Assert.Null(Telemetry.AzureMonitorCredential(null));
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_TracesAndMetricsAreSentThere()
    {
        using var receiver = new OtlpReceiver();
        var app = new Fixture(receiver.Endpoint);
        try
        {
            await app.InitializeAsync();
            using var health = await app.Client.GetAsync("/api/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

            await Eventually.Value(() => Task.FromResult(receiver.Paths), paths => paths.Contains("/v1/traces") && paths.Contains("/v1/metrics"), TimeSpan.FromSeconds(30));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private sealed class Fixture(string endpoint) : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            [Telemetry.OtlpEndpointSetting] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        };
    }

    private static List<Microsoft.Extensions.DependencyInjection.ServiceDescriptor> Wire(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        foreach (var name in new[] { Telemetry.ConnectionStringSetting, Telemetry.OtlpEndpointSetting }.Where(n => !settings.ContainsKey(n)))
        {
            // Whatever the machine's environment says, this case has the setting unset.
            builder.Configuration[name] = "";
        }

        builder.AddTelemetry();
        return [.. builder.Services];
    }

    private static IEnumerable<string> Names(Microsoft.Extensions.DependencyInjection.ServiceDescriptor d) =>
        new[] { d.ServiceType, d.ImplementationType, d.ImplementationInstance?.GetType() }
            .Concat(d.ServiceType.GenericTypeArguments)
            .Where(t => t is not null)
            .Select(t => t!.FullName ?? t.Name);

    /// <summary>An OTLP/HTTP endpoint on loopback that answers 200 and remembers which paths were posted to.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly HashSet<string> _paths = [];

        public OtlpReceiver()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Endpoint + "/");
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Endpoint { get; }

        public IReadOnlyCollection<string> Paths
        {
            get
            {
                lock (_paths)
                {
                    return [.. _paths];
                }
            }
        }

        public void Dispose() => _listener.Close();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                await context.Request.InputStream.CopyToAsync(Stream.Null);
                lock (_paths)
                {
                    _paths.Add(context.Request.Url!.AbsolutePath);
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }
    }
}
