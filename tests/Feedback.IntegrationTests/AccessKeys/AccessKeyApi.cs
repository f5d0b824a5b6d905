using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.AccessKeys;

/// <summary>Access keys as the admin API creates them, and clients that send one as a bearer token.</summary>
public static class AccessKeyApi
{
    public static async Task<(string Id, string Key)> CreateKeyAsync(this AppFixture app, string scope, string role = "manager", string name = "Test key")
    {
        using var response = await app.AdminClient().PostAsJsonAsync("/api/access-keys", new { name, scope, role });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["id"]!.GetValue<string>(), body["key"]!.GetValue<string>());
    }

    public static HttpClient BearerClient(this AppFixture app, string key, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>? instance = null)
    {
        var client = (instance ?? app.App).CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static async Task RevokeAsync(this AppFixture app, string id)
    {
        using var response = await app.AdminClient().DeleteAsync($"/api/access-keys/{id}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>GET, or PATCH with a case update when the path is marked "PATCH ".</summary>
    public static Task<HttpResponseMessage> CallAsync(this HttpClient client, string route) =>
        route.StartsWith("PATCH ", StringComparison.Ordinal)
            ? client.PatchAsJsonAsync(route[6..], new { status = "contacted", note = "Called" })
            : client.GetAsync(route);
}
