using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Feedback.IntegrationTests.Infrastructure;

/// <summary>
/// The function app in standalone mode (its own queue and timer triggers) on a test server, against
/// its own Azurite: real storage protocols, isolated from every other fixture.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    public const string TokenKeyId = "k1";
    public static readonly string TokenKeyBase64 = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private readonly List<WebApplicationFactory<Program>> _apps = [];
    private Azurite? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Not started.");

    /// <summary>This fixture's emulator, for tests that take storage away (freeze and resume it).</summary>
    public Azurite Emulator => _azurite ?? throw new InvalidOperationException("Not started.");

    public WebApplicationFactory<Program> App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Settings beyond the defaults, for fixtures that need them.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Replaces services after the app registered its own, e.g. a <see cref="TimeProvider"/> the test controls.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Starts this fixture's emulator; fault fixtures start a durable one they can stop and start again.</summary>
    protected virtual Task<Azurite> StartEmulatorAsync() => Azurite.StartAsync();

    public async Task InitializeAsync()
    {
        _azurite = await StartEmulatorAsync();
        App = StartApp();
        Client = App.CreateClient();
        // Resolving the server runs the hosted services: storage created, triggers listening.
        await App.Services.GetRequiredService<Feedback.Functions.Storage.StorageAccount>().Queue("feedback-submitted").GetPropertiesAsync();
    }

    /// <summary>Starts another instance of the app against the same storage, as a scale-out would.</summary>
    public WebApplicationFactory<Program> StartApp(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var app = new AppFactory(builder =>
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in BaseSettings().Concat(Settings).Concat(overrides ?? new Dictionary<string, string?>()))
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(ConfigureServices);
        });
        _ = app.Server;
        _apps.Add(app);
        return app;
    }

    private Dictionary<string, string?> BaseSettings() => new()
    {
        ["AzureWebJobsStorage"] = ConnectionString,
        ["Admin:ApiKey"] = AdminKey,
        ["Tokens:ActiveKeyId"] = TokenKeyId,
        ["Tokens:Keys:" + TokenKeyId] = TokenKeyBase64,
        ["PublicBaseUrl"] = "https://feedback.example",
        ["Triggers:Standalone"] = "true",
    };

    public HttpClient AdminClient()
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        // Every app stops (its queue listeners and timers finish) while its storage is still there; then storage goes.
        var failures = new List<Exception>();
        foreach (var app in _apps)
        {
            try
            {
                await app.DisposeAsync();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        if (failures.Count > 1)
        {
            throw new AggregateException("Apps failed to shut down.", failures);
        }
    }
}
