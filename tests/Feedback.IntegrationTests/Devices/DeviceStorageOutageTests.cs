using System.Net;
using System.Text;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Feedback.IntegrationTests.Devices;

/// <summary>With storage gone, heartbeats and the device list answer 503 problems with Retry-After, as every endpoint does.</summary>
public sealed class DeviceStorageOutageTests
{
    [Fact]
    public async Task StorageGoesAway_HeartbeatAndDeviceListAre503ProblemsWithRetryAfter()
    {
        var own = await Azurite.StartAsync();
        using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = own.ConnectionString,
                ["Admin:ApiKey"] = AppFixture.AdminKey,
                ["Tokens:ActiveKeyId"] = AppFixture.TokenKeyId,
                ["Tokens:Keys:" + AppFixture.TokenKeyId] = AppFixture.TokenKeyBase64,
                ["PublicBaseUrl"] = "https://feedback.example",
                ["Triggers:Standalone"] = "false",
            })
            {
                b.UseSetting(key, value);
            }
        });
        var client = app.CreateClient();
        using (var healthy = await client.GetAsync("/api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        await own.DisposeAsync();
        using var heartbeat = new HttpRequestMessage(HttpMethod.Post, "/api/devices/heartbeat") { Content = new StringContent("{\"queued\":3}", Encoding.UTF8, "application/json") };
        heartbeat.Headers.Add("X-Device-Key", "d0123456789abcdef.secret");
        using var beat = await client.SendAsync(heartbeat);
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/stores/prague-old-town/devices");
        list.Headers.Add("X-Admin-Key", AppFixture.AdminKey);
        using var devices = await client.SendAsync(list);

        foreach (var response in new[] { beat, devices })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("5", response.Headers.RetryAfter!.ToString());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
