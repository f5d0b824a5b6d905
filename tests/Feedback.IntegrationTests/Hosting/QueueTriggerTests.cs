using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Runtime.ExceptionServices;
using Azure.Storage.Queues;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.Azure.WebJobs.Host.Timers;
using Microsoft.Extensions.Logging;

namespace Feedback.IntegrationTests.Hosting;

/// <summary>The standalone queue triggers (WebJobs queue extension) with host.json's retry and poison semantics.</summary>
public sealed class QueueTriggerTests(QueueTriggerTests.Fixture app) : IClassFixture<QueueTriggerTests.Fixture>
{
    /// <summary>Failed messages come back at once, so five attempts take seconds, not host.json's 4 × 10 s.</summary>
    public sealed class Fixture : AppFixture
    {
        public FailureLog Failures { get; } = new();

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
            ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.500",
        };

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Failures);
    }

    [Fact]
    public async Task MalformedMessageFromAnotherClient_IsPoisonedAfterMaxDequeueCountWithTextIntact_WhileOthersAreProcessed()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var other = new QueueClient(app.ConnectionString, QueueNames.FeedbackSubmitted, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        const string Malformed = "{\"storeId\": \"not an answer\", \"note\": \"čaj <&>\"";

        var poison = new QueueClient(app.ConnectionString, QueueNames.FeedbackSubmitted + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await poison.CreateIfNotExistsAsync();

        await other.SendMessageAsync(Malformed);
        var urls = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            urls.Add(await app.SubmitAcceptedAsync(new { score = i, comment = "after the bad one" }, key));
        }

        foreach (var url in urls)
        {
            await app.WaitForStatusAsync(url, timeout: TimeSpan.FromSeconds(30));
        }

        var poisoned = await Eventually.Value(async () => (await poison.ReceiveMessagesAsync(32)).Value, m => m.Length > 0, TimeSpan.FromSeconds(60));

        Assert.Equal(Malformed, Assert.Single(poisoned).Body.ToString());
        Assert.Equal(5, app.Failures.Attempts.Count(e => e.Contains("ProcessFeedback", StringComparison.Ordinal)));

        // The engine copies to poison before it deletes the original, so the original may still be there for a moment.
        await Eventually.Value(() => app.QueueCountAsync(QueueNames.FeedbackSubmitted), n => n == 0);
    }

    [Fact]
    public async Task StorageFailureOutsideAFunction_IsLogged_AndTheAppKeepsRunning()
    {
        var factory = app.App.Services.GetRequiredService<IWebJobsExceptionHandlerFactory>();
        var handler = factory.Create(app.App.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHost>());

        // WebJobs' default handler rethrows this on a new thread, which would end the test process.
        await handler.OnUnhandledExceptionAsync(ExceptionDispatchInfo.Capture(new Azure.RequestFailedException("release timed out")));

        Assert.IsNotType<DefaultWebJobsExceptionHandlerFactory>(factory);
        using var health = await app.Client.GetAsync("/api/health");
        Assert.True(health.IsSuccessStatusCode);
    }

    /// <summary>Counts failed invocations as the WebJobs host reports them (one error per failed attempt).</summary>
    public sealed class FailureLog : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Attempts { get; } = new();

        public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("Function.", StringComparison.Ordinal) ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is not null)
            {
                Attempts.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
