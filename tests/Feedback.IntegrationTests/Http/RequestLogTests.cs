using System.Collections.Concurrent;
using System.Net;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Feedback.IntegrationTests.Http;

/// <summary>
/// Survey tokens, status ids and reward codes are secrets in a URL: request logs name the route template instead,
/// even with every category at Trace and scopes written out.
/// </summary>
public sealed class RequestLogTests(RequestLogTests.Fixture app) : IClassFixture<RequestLogTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        public CapturedLog Log { get; } = new();

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        };

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Log);
    }

    [Fact]
    public async Task RequestsWithSecretsInTheirPath_AreLoggedByRouteTemplate_WithoutTheSecrets()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store, receiptId: "R-" + Guid.NewGuid().ToString("N")[..12]);
        var statusUrl = await app.SubmitAcceptedAsync(new { token, score = 9 });
        var statusId = statusUrl[(statusUrl.LastIndexOf('/') + 1)..];
        var code = "QX" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var admin = app.AdminClient();

        using var survey = await app.Client.GetAsync($"/s/{token}");
        using var status = await app.Client.GetAsync(statusUrl);
        using var reward = await admin.GetAsync($"/api/rewards/{code}");
        using var redeem = await admin.PostAsync($"/api/rewards/{code}/redeem", null);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (survey.StatusCode, status.StatusCode));
        var lines = app.Log.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("/s/{token}", StringComparison.Ordinal) && l.Contains("200", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/api/feedback/{statusId}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/api/rewards/{code}/redeem", StringComparison.Ordinal));
        foreach (var secret in new[] { token, statusId, code })
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Every message and every value of every scope it was written in, one string each.</summary>
    public sealed class CapturedLog : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => log._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new System.Text.StringBuilder($"{category}: {formatter(state, exception)} {exception}");
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    line.Append(" | ").AppendJoin(", ", values.Select(v => $"{v.Key}={v.Value}"));
                }

                log._scopes.ForEachScope((scope, builder) => builder.Append(" | scope ").Append(scope is IEnumerable<KeyValuePair<string, object?>> kv
                    ? string.Join(", ", kv.Select(v => $"{v.Key}={v.Value}")) : scope?.ToString()), line);
                log.Lines.Enqueue(line.ToString());
            }
        }
    }
}
