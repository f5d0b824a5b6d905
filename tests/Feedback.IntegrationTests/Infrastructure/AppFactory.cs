using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Feedback.IntegrationTests.Infrastructure;

/// <summary>
/// The app on a test server, shut down as it shuts down in production: by its own <c>app.Run()</c>, once.
/// </summary>
/// <remarks>
/// <c>app.Run()</c> stops the host when the application is stopping and then disposes it. The factory's own
/// dispose stops the host too, which raises that same "stopping": two stops ran at once, and the app's dispose
/// overtook the factory's stop (<see cref="ObjectDisposedException"/> from the WebJobs <c>JobHost</c> and
/// <c>OptionsLoggingService</c>). Here disposing the factory asks the app to stop, waits until the app has stopped
/// every hosted service and disposed its services, and throws whatever that stop threw.
/// </remarks>
public sealed class AppFactory(Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private static readonly TimeSpan ShutdownLimit = TimeSpan.FromMinutes(1);

    protected override void ConfigureWebHost(IWebHostBuilder builder) => configure(builder);

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var shutdown = new Shutdown();
        builder.ConfigureServices(services =>
        {
            // The first hosted service is created before the others and their dependencies, so it is disposed after them.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(_ => shutdown));
            services.AddSingleton<ILoggerProvider>(shutdown.StopFailures);
            services.Configure<LoggerFilterOptions>(o => o.AddFilter<StopFailureLog>(HostCategory, LogLevel.Debug));
        });
        return new AppHost(base.CreateHost(builder), shutdown);
    }

    private sealed class AppHost(IHost host, Shutdown shutdown) : IHost, IAsyncDisposable
    {
        private readonly Lazy<Task> _stopped = new(() => StopAsync(host, shutdown));

        public IServiceProvider Services => host.Services;

        public Task StartAsync(CancellationToken cancellationToken = default) => host.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken = default) => _stopped.Value;

        /// <summary>The app disposes the host itself; this only waits for that.</summary>
        public void Dispose() => _stopped.Value.GetAwaiter().GetResult();

        public async ValueTask DisposeAsync() => await _stopped.Value;

        private static async Task StopAsync(IHost host, Shutdown shutdown)
        {
            // The app's app.Run() reacts: it stops the host, then disposes it.
            host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await shutdown.Disposed.WaitAsync(ShutdownLimit);
            if (shutdown.StopFailures.Failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
    }

    private sealed class Shutdown : IHostedService, IDisposable
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Disposed => _disposed.Task;

        public StopFailureLog StopFailures { get; } = new();

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => _disposed.TrySetResult();
    }

    /// <summary>Keeps the exception the host's stop ended with (which <c>app.Run()</c> does not surface).</summary>
    private sealed class StopFailureLog : ILoggerProvider, ILogger
    {
        private const int StoppedWithException = 5;

        public Exception? Failure { get; private set; }

        public ILogger CreateLogger(string categoryName) => categoryName == HostCategory ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == StoppedWithException && exception is not null)
            {
                Failure = exception;
            }
        }

        public void Dispose()
        {
        }
    }
}
