using System.Diagnostics;
using System.Net.Http.Json;
using Feedback.Functions.Hosting;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Feedback.IntegrationTests.Observability;

/// <summary>The app with in-memory exporters behind its own OpenTelemetry set-up: what Azure Monitor or OTLP would receive.</summary>
public sealed class TelemetryFixture : AppFixture
{
    public List<Activity> Activities { get; } = [];

    public List<MetricSnapshot> Metrics { get; } = [];

    /// <summary>A failed message is poisoned on its first failure, so the poison counter moves within seconds.</summary>
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "1",
        ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.500",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Activities));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
    }

    public IReadOnlyList<Activity> Trace(ActivityTraceId traceId)
    {
        lock (Activities)
        {
            return [.. Activities.Where(a => a.TraceId == traceId)];
        }
    }

    /// <summary>Cumulative values of one instrument for one touchpoint, as the exporter would send them now.</summary>
    public (long Sum, long Count) Read(string instrument, string touchpoint) => Read(instrument, "touchpoint", touchpoint);

    public (long Sum, long Count) Read(string instrument, string tagKey, string tagValue)
    {
        var provider = App.Services.GetRequiredService<MeterProvider>();
        lock (Metrics)
        {
            Metrics.Clear();
        }

        provider.ForceFlush();
        lock (Metrics)
        {
            long sum = 0, count = 0;
            foreach (var metric in Metrics.Where(m => m.Name == instrument))
            {
                foreach (var point in metric.MetricPoints)
                {
                    var tags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        tags[tag.Key] = tag.Value;
                    }

                    if (!Equals(tags.GetValueOrDefault(tagKey), tagValue))
                    {
                        continue;
                    }

                    if (metric.MetricType == MetricType.Histogram)
                    {
                        count += point.GetHistogramCount();
                    }
                    else
                    {
                        sum += point.GetSumLong();
                    }
                }
            }

            return (sum, count);
        }
    }
}

/// <summary>
/// Runs alone (after the parallel classes): the product's meter is process-wide, and exact counts need no other app
/// answering at the same touchpoint meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryFixture>
{
    public const string Name = "Telemetry, alone";
}

[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(TelemetryFixture app)
{
    [Fact]
    public async Task OneTrace_FollowsAnAnswer_FromTheRequest_ThroughTheQueue_ToItsProcessing()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var traceId = ActivityTraceId.CreateRandom();
        var client = app.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Device-Key", key);
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await client.PostAsJsonAsync("/api/feedback", new { score = 4, touchpoint = "web" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var statusUrl = (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["statusUrl"]!.GetValue<string>();
        await app.WaitForStatusAsync(statusUrl);

        var trace = await Eventually.Value(
            () => Task.FromResult(app.Trace(traceId)),
            t => t.Any(a => a.DisplayName == "ProcessFeedback process"));
        var request = Assert.Single(trace, a => a.Kind == ActivityKind.Server && a.DisplayName == "POST /api/feedback");
        var processing = Assert.Single(trace, a => a.DisplayName == "ProcessFeedback process");

        // The request enqueued the answer (the Azure SDK's own span), and the processing is that request's child.
        Assert.Single(trace, a => a.DisplayName == "QueueClient.SendMessage" && a.ParentSpanId == request.SpanId);
        Assert.Equal(request.SpanId, processing.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, processing.Kind);
        Assert.Equal(Telemetry.Source.Name, processing.Source.Name);
        // The processing's own storage calls (store and count, the status row) are in the same trace, under it.
        Assert.Contains(trace, a => a.ParentSpanId == processing.SpanId && a.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));
        Assert.True(processing.StartTimeUtc >= request.StartTimeUtc);
        // Each storage call is one client span (the SDK's), not two.
        var sdkCalls = trace.Where(a => a.Source.Name == "Azure.Core.Http").Select(a => a.SpanId).ToHashSet();
        Assert.NotEmpty(sdkCalls);
        Assert.DoesNotContain(trace, a => a.Source.Name == "System.Net.Http" && sdkCalls.Contains(a.ParentSpanId));
    }

    [Fact]
    public async Task ProcessingAnswers_CountsThemAcceptedAndProcessed_ByTouchpoint_WithTheirLag()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var accepted = app.Read("feedback.answers.accepted", "chatbot").Sum;
        var processed = app.Read("feedback.answers.processed", "chatbot").Sum;
        var lags = app.Read("feedback.answers.processing_lag", "chatbot").Count;
        var kiosk = app.Read("feedback.answers.processed", "kiosk").Sum;

        var id = "tele-" + Guid.NewGuid().ToString("N")[..10];
        var first = await app.SubmitAcceptedAsync(new { id, score = 9, touchpoint = "chatbot" }, key);
        var second = await app.SubmitAcceptedAsync(new { score = 2, touchpoint = "chatbot" }, key);
        // A retry of the first answer is accepted again but counted once.
        Assert.Equal(first, await app.SubmitAcceptedAsync(new { id, score = 9, touchpoint = "chatbot" }, key));
        await app.WaitForStatusAsync(first);
        await app.WaitForStatusAsync(second);
        await Eventually.Value(
            () => app.App.Services.GetRequiredService<StorageAccount>()
                .Queue(QueueNames.FeedbackSubmitted).GetApproximateMessagesCountAsync(),
            n => n == 0);

        Assert.Equal(accepted + 3, app.Read("feedback.answers.accepted", "chatbot").Sum);
        Assert.Equal(processed + 2, app.Read("feedback.answers.processed", "chatbot").Sum);
        Assert.Equal(lags + 2, app.Read("feedback.answers.processing_lag", "chatbot").Count);
        Assert.Equal(kiosk, app.Read("feedback.answers.processed", "kiosk").Sum);
    }

    [Fact]
    public async Task IssuingAndRedeemingAReward_AreCounted()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var (_, kioskKey) = await app.EnrollDeviceAsync(store);
        var (_, tillKey) = await app.EnrollDeviceAsync(store, "pos");
        var issued = app.Read("feedback.rewards.issued", "kiosk").Sum;
        var redeemed = RedeemedTotal();

        var statusUrl = await app.SubmitAcceptedAsync(new { score = 10 }, kioskKey);
        var status = await app.WaitForStatusAsync(statusUrl, s => s["reward"] is not null);
        var code = status["reward"]!["code"]!.GetValue<string>();
        var till = app.App.CreateClient();
        till.DefaultRequestHeaders.Add("X-Device-Key", tillKey);
        using var redeem = await till.PostAsync($"/api/rewards/{code}/redeem", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, redeem.StatusCode);

        Assert.Equal(issued + 1, app.Read("feedback.rewards.issued", "kiosk").Sum);
        Assert.Equal(redeemed + 1, RedeemedTotal());
    }

    [Fact]
    public async Task AMessageMovedToPoison_IsCounted_ByQueue()
    {
        var poisoned = app.Read("feedback.queue.poisoned", "queue", QueueNames.FeedbackSubmitted).Sum;
        var storage = app.App.Services.GetRequiredService<StorageAccount>();
        var poison = storage.Queue(QueueNames.FeedbackSubmitted + "-poison");
        await poison.CreateIfNotExistsAsync();
        var before = (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        await storage.Queue(QueueNames.FeedbackSubmitted).SendMessageAsync("{\"not\": \"an answer\"");
        await Eventually.Value(async () => (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount, n => n == before + 1, TimeSpan.FromSeconds(30));

        Assert.Equal(poisoned + 1, app.Read("feedback.queue.poisoned", "queue", QueueNames.FeedbackSubmitted).Sum);
    }

    private long RedeemedTotal()
    {
        app.Read("feedback.rewards.redeemed", "");
        lock (app.Metrics)
        {
            return app.Metrics.Where(m => m.Name == "feedback.rewards.redeemed").SelectMany(m => m.MetricPoints).Sum(p => p.GetSumLong());
        }
    }
}
