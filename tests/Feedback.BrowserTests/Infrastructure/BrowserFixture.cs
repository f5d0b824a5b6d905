using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Feedback.BrowserTests.Infrastructure;

/// <summary>
/// The app on a real loopback port (Kestrel, standalone triggers) against its own Azurite, and one
/// headless Debian Chromium driven by Playwright. Tests isolate themselves with a store each and a
/// fresh browser context each.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string AdminKey = "browser-admin-key-0123456789abcdef";
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private Azurite? _azurite;
    private WebApplicationFactory<Program>? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (./test.sh does).");
        }

        _azurite = await Azurite.StartAsync();
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["Admin:ApiKey"] = AdminKey,
            ["Tokens:ActiveKeyId"] = "b1",
            ["Tokens:Keys:b1"] = Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray()),
            ["PublicBaseUrl"] = BaseAddress.ToString(),
            ["Triggers:Standalone"] = "true",
            ["RateLimits:TokenPerMinute"] = "1000",
            ["RateLimits:DevicePerMinute"] = "1000",
            ["RateLimits:IpPerMinute"] = "1000",
        };
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        _app.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        _app.StartServer();

        // Lets a test's routes see (and cut off) the kiosk service worker's own requests, which context.SetOfflineAsync does not reach.
        Environment.SetEnvironmentVariable("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public HttpClient Client(bool admin = false)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (admin)
        {
            client.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        }

        return client;
    }

    /// <summary>A phone: 390×844 CSS pixels, touch, the given browser language.</summary>
    public Task<IBrowserContext> PhoneAsync(string locale = "cs-CZ") => Browser.NewContextAsync(new()
    {
        ViewportSize = new() { Width = 390, Height = 844 },
        IsMobile = true,
        HasTouch = true,
        Locale = locale,
        BaseURL = BaseAddress.ToString(),
    });

    /// <summary>A kiosk tablet in landscape.</summary>
    public Task<IBrowserContext> TabletAsync(string locale = "cs-CZ") => Browser.NewContextAsync(new()
    {
        ViewportSize = new() { Width = 1180, Height = 820 },
        HasTouch = true,
        Locale = locale,
        BaseURL = BaseAddress.ToString(),
    });

    public async Task<string> CreateStoreAsync(string[]? languages = null, string[]? rewardFor = null)
    {
        var storeId = "b-" + Guid.NewGuid().ToString("N")[..10];
        var reward = new
        {
            title = new Dictionary<string, string> { ["cs"] = "Ledový čaj o 20 % levněji", ["en"] = "20% off iced tea" },
            validDays = 30,
            dailyCap = 200,
            eligible = rewardFor ?? ["receipt", "kiosk"],
        };
        using var client = Client(admin: true);
        using var response = await client.PutAsJsonAsync($"api/stores/{storeId}",
            new { name = "Kavárna " + storeId[2..6], region = "prague", timeZone = "Europe/Prague", languages = languages ?? ["cs", "en"], reward });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return storeId;
    }

    /// <summary>A survey URL as the admin API mints it (PublicBaseUrl + "s/" + token).</summary>
    public async Task<string> SurveyUrlAsync(string storeId, string? receiptId = null)
    {
        using var client = Client(admin: true);
        using var response = await client.PostAsJsonAsync($"api/stores/{storeId}/tokens", new { touchpoint = "store", receiptId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["url"]!.GetValue<string>();
    }

    public async Task<string> EnrollKioskAsync(string storeId)
    {
        using var client = Client(admin: true);
        using var response = await client.PostAsJsonAsync($"api/stores/{storeId}/devices", new { name = "Kiosk", kind = "kiosk" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["deviceKey"]!.GetValue<string>();
    }

    public static string NewReceiptId() => "R-" + Guid.NewGuid().ToString("N")[..12];

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
