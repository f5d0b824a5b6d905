using System.Diagnostics;
using System.Net;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Feedback.IntegrationTests.Hosting;

/// <summary>A misconfigured app fails at boot naming the setting; a running app reports storage trouble as 503.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StartupTests(AzuriteFixture azurite)
{
    private Dictionary<string, string?> Valid() => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Admin:ApiKey"] = AppFixture.AdminKey,
        ["Tokens:ActiveKeyId"] = "k1",
        ["Tokens:Keys:k1"] = AppFixture.TokenKeyBase64,
        ["PublicBaseUrl"] = "https://feedback.example",
        ["Triggers:Standalone"] = "false",
    };

    private static Exception StartWith(Dictionary<string, string?> settings)
    {
        using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        return Record.Exception(() => app.Server);
    }

    [Theory]
    [InlineData("Admin__ApiKey", null)]
    [InlineData("Admin__ApiKey", "short")]
    [InlineData("Tokens__ActiveKeyId", "k9")]
    [InlineData("Tokens__Keys__k1", "dG9vIHNob3J0")]
    [InlineData("PublicBaseUrl", "not a url")]
    [InlineData("AzureWebJobsStorage", "AccountName=x")]
    [InlineData("AzureWebJobsStorage", null)]
    public async Task MissingOrInvalidSetting_StopsTheApp_WithAMessageNamingIt(string setting, string? value)
    {
        // The built app as a process, configured through environment variables as in Azure.
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Feedback.Functions.dll"), "--urls", "http://127.0.0.1:0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, v) in Valid())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = v;
        }

        start.Environment[setting] = value;
        using var app = Process.Start(start)!;
        var output = app.StandardOutput.ReadToEndAsync();
        var error = app.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await app.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            app.Kill(entireProcessTree: true);
            Assert.Fail($"The app kept running with {setting}={value}.");
        }

        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains(setting.StartsWith("Tokens__Keys__", StringComparison.Ordinal) ? "Tokens__Keys__" : setting,
            await output + await error, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidSettings_Start()
    {
        Assert.Null(StartWith(Valid()));
    }

    [Fact]
    public async Task Health_Is200_ThenStorageGoesAway_HealthAndRequestsAre503Problems()
    {
        var own = await Azurite.StartAsync();
        var settings = Valid();
        settings["AzureWebJobsStorage"] = own.ConnectionString;
        using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        var client = app.CreateClient();
        using (var healthy = await client.GetAsync("/api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        client.DefaultRequestHeaders.Add("X-Device-Key", "d0123456789abcdef.secret");
        await own.DisposeAsync();
        using var down = await client.GetAsync("/api/health");
        using var submit = await client.PostAsync("/api/feedback", new StringContent("{\"score\":5}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, submit.StatusCode);
        Assert.Equal("5", submit.Headers.RetryAfter!.ToString());
        Assert.DoesNotContain("   at ", await submit.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(503, (await down.ProblemAsync())["status"]!.GetValue<int>());
        using var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
    }
}
