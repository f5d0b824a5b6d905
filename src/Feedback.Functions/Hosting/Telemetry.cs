using System.Diagnostics;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.Azure.WebJobs.Host.Queues;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Feedback.Functions.Hosting;

/// <summary>Telemetry settings: how often the backlog and overdue-case gauges are read from storage.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Each reading costs one metadata call per queue and poison queue, and a scan of the open cases.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Traces, metrics and logs through OpenTelemetry: to Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set
/// (with Microsoft Entra ID authentication, as the infra configures it), to OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set, nowhere otherwise. The instrumentation is on in every mode, so an in-process listener (a test) sees the same
/// activities and measurements an exporter would.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "feedback";
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The app's own activities: one per queue or timer invocation.</summary>
    public static readonly ActivitySource Source = new("Feedback.Functions");

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        // The Azure SDK (Tables, Queues) emits its own activities only behind this switch.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        var configuration = builder.Configuration;
        var toAzureMonitor = !string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]);
        var toOtlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Source.Name);
                if (!toAzureMonitor)
                {
                    // The Azure Monitor distro adds these itself.
                    tracing.AddSource("Azure.*")
                        .AddAspNetCoreInstrumentation(o => o.Filter = context => context.Request.Path != "/")
                        // The Azure SDK records each storage call as its own client span: no second one for the same call.
                        .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = _ => Activity.Current?.Parent?.Source.Name != "Azure.Core.Http");
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(FeedbackMetrics.MeterName);
                if (!toAzureMonitor)
                {
                    metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                }
            })
            .WithLogging();

        if (toAzureMonitor)
        {
            // Handed over explicitly: the exporter itself reads only the environment, not other configuration sources.
            otel.UseAzureMonitor(options =>
            {
                options.ConnectionString = configuration[ConnectionStringSetting];
                options.Credential = AzureMonitorCredential(configuration[AuthenticationStringSetting]);
            });
        }

        if (toOtlp)
        {
            // Reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS as every OpenTelemetry SDK does.
            otel.UseOtlpExporter();
        }

        builder.Services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section))
            .Validate(o => o.SampleInterval >= TimeSpan.FromSeconds(5), "Setting 'Telemetry__SampleInterval' must be at least 5 seconds.")
            .ValidateOnStart();
        // Counts messages the standalone queue trigger moves to <queue>-poison (under the Functions host, the host does).
        builder.Services.AddSingleton<IQueueProcessorFactory, PoisonCountingQueueProcessorFactory>();
        return builder;
    }

    /// <summary>
    /// The credential for Application Insights with local authentication disabled, from
    /// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> as the Functions host reads it: <c>Authorization=AAD</c> with the
    /// user-assigned identity's <c>ClientId=…</c> (or none: the system-assigned one). Without it, none: the connection
    /// string's instrumentation key alone authenticates.
    /// </summary>
    /// <summary>Whether telemetry leaves the process (Azure Monitor or OTLP); gauges that cost storage reads are sampled only then.</summary>
    public static bool IsExported(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]) || !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);

    public static TokenCredential? AzureMonitorCredential(string? authenticationString)
    {
        var parts = (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        var clientId = parts.GetValueOrDefault("ClientId");
        return parts.TryGetValue("Authorization", out var authorization) && authorization.Equals("AAD", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : null;
    }

    /// <summary>The current trace context in W3C <c>traceparent</c> form, for a queue message to carry.</summary>
    public static string? CurrentTraceParent() => Activity.Current?.IdFormat == ActivityIdFormat.W3C ? Activity.Current.Id : null;

    /// <summary>
    /// The activity of one queue invocation, a child of the trace that enqueued the message when the message carries its
    /// <c>traceParent</c> (so one trace runs from the HTTP request through the queue to the processing), linked to the
    /// invocation's own context (under the Functions host, the host's request).
    /// </summary>
    public static Activity? StartQueueInvocation(string functionName, QueueTrigger trigger)
    {
        var links = Activity.Current is { } current ? new[] { new ActivityLink(current.Context) } : null;
        var parent = TraceParentOf(trigger.Text) is { } traceParent && ActivityContext.TryParse(traceParent, null, out var context)
            ? context
            : default;
        var activity = Source.StartActivity($"{functionName} process", ActivityKind.Consumer, parent, links: links);
        activity?.SetTag("messaging.system", "azure_queue_storage");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.message.id", trigger.MessageId);
        activity?.SetTag("messaging.message.delivery_count", trigger.DequeueCount);
        activity?.SetTag("faas.trigger", "pubsub");
        activity?.SetTag("faas.name", functionName);
        return activity;
    }

    public static Activity? StartTimerInvocation(string functionName)
    {
        var activity = Source.StartActivity(functionName, ActivityKind.Internal);
        activity?.SetTag("faas.trigger", "timer");
        activity?.SetTag("faas.name", functionName);
        return activity;
    }

    /// <summary>Marks the invocation's activity failed; the exception goes on to fail the invocation.</summary>
    public static bool Failed(Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity?.AddException(exception);
        return false;
    }

    private static string? TraceParentOf(string messageText)
    {
        try
        {
            using var json = JsonDocument.Parse(messageText);
            return json.RootElement.ValueKind == JsonValueKind.Object &&
                   json.RootElement.TryGetProperty("traceParent", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            // The handler reports a malformed message; tracing just starts a new trace.
            return null;
        }
    }

    private sealed class PoisonCountingQueueProcessorFactory : IQueueProcessorFactory
    {
        public QueueProcessor Create(QueueProcessorOptions context) => new PoisonCountingQueueProcessor(context);
    }

    private sealed class PoisonCountingQueueProcessor(QueueProcessorOptions context) : QueueProcessor(context)
    {
        private readonly string _queue = context.Queue.Name;

        protected override Task OnMessageAddedToPoisonQueueAsync(PoisonMessageEventArgs e)
        {
            FeedbackMetrics.MovedToPoison(_queue);
            return base.OnMessageAddedToPoisonQueueAsync(e);
        }
    }
}
