using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.Processing;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.IntegrationTests.Hosting;

/// <summary>Two instances of the app against one storage account, as a scale-out runs them.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class ScaleOutTests(ProcessingFixture app)
{
    [Fact]
    public async Task TheAppStartedTwiceAgainstTheSameStorage_ProcessesEachMessageOnceInTotal()
    {
        var second = app.StartApp();
        var outcomes = new ProcessingLog();
        app.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(outcomes);
        second.Services.GetRequiredService<ILoggerFactory>().AddProvider(outcomes);
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var clients = new[] { app.App.CreateClient(), second.CreateClient() };
        foreach (var client in clients)
        {
            client.DefaultRequestHeaders.Add("X-Device-Key", key);
        }

        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var scores = Enumerable.Range(0, 40).Select(i => i % 11).ToArray();

        var ids = scores.Select((_, i) => $"scale-{i:D2}-{Guid.NewGuid():N}"[..20]).ToArray();

        var urls = await Task.WhenAll(scores.Select(async (score, i) =>
        {
            using var response = await clients[i % 2].PostAsJsonAsync("/api/feedback", new { id = ids[i], score, submittedAt = at });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["statusUrl"]!.GetValue<string>();
        }));

        Assert.Equal(40, urls.Distinct().Count());
        foreach (var url in urls)
        {
            await app.WaitForStatusAsync(url, timeout: TimeSpan.FromSeconds(30));
        }

        await Eventually.Value(() => app.QueueCountAsync(QueueNames.FeedbackSubmitted), n => n == 0);
        Assert.Equal(0, await app.QueueCountAsync(QueueNames.FeedbackSubmitted + "-poison"));
        var day = StoreDay.LocalDate(at, "Europe/Prague");
        var (all, _, answered) = await app.CountersAsync(store, day);
        Assert.Equal(40, answered);
        Assert.Equal(
            (scores.Count(s => s >= 9), scores.Count(s => s is 7 or 8), scores.Count(s => s <= 6)),
            (all.Promoters, all.Passives, all.Detractors));
        Assert.Equal(40, (await app.AnswerRowsAsync(store, day)).Count);

        // Idempotent storage would hide a message handled twice; the processing log does not.
        var handled = outcomes.Entries.Where(e => ids.Contains(Ids.ClientAnswerId(e.FeedbackId))).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), handled.Select(e => Ids.ClientAnswerId(e.FeedbackId)).Order(StringComparer.Ordinal));
        Assert.All(handled, e => Assert.Equal("stored and counted", e.Outcome));
    }

    /// <summary>Collects ProcessFeedback's "Answer {FeedbackId} in {Partition}: {Outcome}" lines from every instance.</summary>
    private sealed class ProcessingLog : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(string FeedbackId, string Outcome)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) =>
            categoryName == typeof(ProcessFeedbackFunction).FullName ? this : NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "Outcome").Value is string outcome
                && values.FirstOrDefault(v => v.Key == "FeedbackId").Value is string id)
            {
                Entries.Enqueue((id, outcome));
            }
        }

        public void Dispose()
        {
        }
    }
}
