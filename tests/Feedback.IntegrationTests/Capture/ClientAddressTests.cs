using System.Net;
using System.Text.Json;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Feedback.IntegrationTests.Capture;

/// <summary>
/// The client address the per-IP limit counts: X-Forwarded-For only from trusted proxies, the entry the nearest one
/// appended, without its port. Two answers per minute per address, so the third from one client is refused.
/// </summary>
public sealed class ClientAddressTests(ClientAddressTests.Fixture app) : IClassFixture<ClientAddressTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimits:IpPerMinute"] = "2",
            ["RateLimits:TokenPerMinute"] = "10000",
            ["Http:TrustedProxies"] = "10.0.0.0/8, 2001:db8:a::/48",
        };
    }

    [Fact]
    public async Task ForwardedFor_FromATrustedProxy_CountsTheClientItNames_WhateverItsPortOrEarlierEntries()
    {
        var token = await app.MintTokenAsync(await app.CreateStoreAsync());
        var proxy = IPAddress.Parse("10.20.30.40");
        var (client, other) = (RandomAddress("203.0.113"), RandomAddress("198.51.100"));

        var answers = new[]
        {
            await PostAsync(app.App, proxy, $"1.1.1.1, {client}:1111", token),
            await PostAsync(app.App, proxy, $"2.2.2.2, {client}:2222", token),
            await PostAsync(app.App, proxy, $"{client}", token),
            await PostAsync(app.App, proxy, $"{client}:3333", token),
            await PostAsync(app.App, proxy, $"{client}, {other}:4444", token),
        };

        Assert.Equal([202, 202, 429, 429, 202], answers);
    }

    [Fact]
    public async Task ForwardedFor_FromAnAddressNotTrusted_IsIgnored_EvenFromLoopback()
    {
        var token = await app.MintTokenAsync(await app.CreateStoreAsync());
        var remote = IPAddress.Parse($"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");

        var answers = new[]
        {
            await PostAsync(app.App, remote, RandomAddress("203.0.113"), token),
            await PostAsync(app.App, remote, RandomAddress("203.0.113"), token),
            await PostAsync(app.App, remote, RandomAddress("203.0.113"), token),
        };

        Assert.Equal([202, 202, 429], answers);
    }

    [Fact]
    public async Task ByDefault_TheLocalHostIsTheProxy_AndAnIPv6ClientLosesItsPortToo()
    {
        var local = app.StartApp(new Dictionary<string, string?> { ["Http:TrustedProxies"] = null });
        var token = await app.MintTokenAsync(await app.CreateStoreAsync());
        var client = $"2001:db8:{Random.Shared.Next(1, 65535):x}::1";

        var answers = new[]
        {
            await PostAsync(local, IPAddress.Loopback, $"[{client}]:1111", token),
            await PostAsync(local, IPAddress.IPv6Loopback, $"[{client}]:2222", token),
            await PostAsync(local, IPAddress.Loopback, client, token),
            await PostAsync(local, IPAddress.Loopback, "[2001:db8:ffff::2]:3333", token),
        };

        Assert.Equal([202, 202, 429, 202], answers);
    }

    private static string RandomAddress(string network) => $"{network}.{Random.Shared.Next(1, 255)}";

    /// <summary>One token answer as it arrives from <paramref name="remote"/>, a test server having no connection of its own.</summary>
    private static async Task<int> PostAsync(WebApplicationFactory<Program> app, IPAddress remote, string forwardedFor, string token)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { token, score = 7 });
        var context = await app.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = remote;
            c.Request.Method = "POST";
            c.Request.Path = "/api/feedback";
            c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = body.Length;
            c.Request.Body = new MemoryStream(body);
        });
        return context.Response.StatusCode;
    }
}
