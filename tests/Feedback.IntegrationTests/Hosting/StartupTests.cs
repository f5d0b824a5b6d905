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
    [InlineData("Admin:ApiKey", null, "Admin__ApiKey")]
    [InlineData("Admin:ApiKey", "short", "Admin__ApiKey")]
    [InlineData("Tokens:ActiveKeyId", "k9", "Tokens__ActiveKeyId")]
    [InlineData("Tokens:Keys:k1", "dG9vIHNob3J0", "Tokens__Keys__")]
    [InlineData("PublicBaseUrl", "not a url", "PublicBaseUrl")]
    [InlineData("AzureWebJobsStorage", "AccountName=x", "AzureWebJobsStorage")]
    [InlineData("AzureWebJobsStorage", null, "AzureWebJobsStorage")]
    public void MissingOrInvalidSetting_StopsStartup_NamingIt(string key, string? value, string named)
    {
        var settings = Valid();
        settings[key] = value;

        var error = StartWith(settings);

        Assert.NotNull(error);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
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
