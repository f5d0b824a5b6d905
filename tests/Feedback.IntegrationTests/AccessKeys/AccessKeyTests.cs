using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.FollowUp;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.AccessKeys;

/// <summary>POST, GET and DELETE /api/access-keys: a key shown once, stored as a hash, listed without secrets, revoked at once.</summary>
public sealed class AccessKeyTests(AccessKeyTests.Fixture app) : IClassFixture<AccessKeyTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    [Fact]
    public async Task Create_ShowsTheKeyOnce_StoresOnlyItsHash_AndTheListHasNoSecrets()
    {
        var store = await app.CreateStoreAsync();
        using var response = await app.AdminClient().PostAsJsonAsync("/api/access-keys", new { name = "Old Town manager", scope = $"store:{store}", role = "manager" });
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = created["id"]!.GetValue<string>();
        var key = created["key"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/access-keys/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(("Old Town manager", $"store:{store}", "manager"),
            (created["name"]!.GetValue<string>(), created["scope"]!.GetValue<string>(), created["role"]!.GetValue<string>()));
        Assert.StartsWith(id + ".", key, StringComparison.Ordinal);
        var secret = key[(id.Length + 1)..];
        Assert.True(secret.Length >= 40, "the secret carries at least 240 bits");

        var row = await app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.AccessKeys).GetEntityAsync<TableEntity>(id, "");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), row.Value.GetString("SecretHash"));
        Assert.DoesNotContain(((IDictionary<string, object>)row.Value).Values, v => v?.ToString()?.Contains(secret, StringComparison.Ordinal) == true);

        var list = (await app.AdminClient().GetFromJsonAsync<JsonObject>("/api/access-keys"))!;
        var listed = Assert.Single(list["items"]!.AsArray(), k => k!["id"]!.GetValue<string>() == id)!.AsObject();
        Assert.Null(listed["key"]);
        Assert.Null(listed["revokedAt"]);
        Assert.DoesNotContain(secret, list.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithABadBody_NamesEachField_AndAnUnknownStoreIsRefused()
    {
        using var bad = await app.AdminClient().PostAsJsonAsync("/api/access-keys", new { name = "", scope = "galaxy", role = "owner" });
        var problem = await bad.ProblemAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["name", "role", "scope"], problem["errors"]!.AsObject().Select(e => e.Key).Order());

        using var unknown = await app.AdminClient().PostAsJsonAsync("/api/access-keys", new { name = "x", scope = "store:no-such-store", role = "viewer" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("no-such-store", (await unknown.ProblemAsync())["errors"]!["scope"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagingKeys_NeedsTheAdminKey_NotAnAccessKey()
    {
        var (_, key) = await app.CreateKeyAsync("chain");
        using var client = app.BearerClient(key);

        using var create = await client.PostAsJsonAsync("/api/access-keys", new { name = "x", scope = "chain", role = "manager" });
        using var list = await client.GetAsync("/api/access-keys");
        using var anonymous = await app.App.CreateClient().GetAsync("/api/access-keys");

        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Revoke_HoldsAtOnce_OnEveryInstance_AndKeepsTheKeyListedAsRevoked()
    {
        var store = await app.CreateStoreAsync();
        var (id, key) = await app.CreateKeyAsync($"store:{store}");
        var other = app.StartApp();
        using var here = app.BearerClient(key);
        using var there = app.BearerClient(key, other);
        // Both instances have served the key, so anything they cached would now be warm.
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/api/access-keys/current")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await there.GetAsync($"/api/cases?storeId={store}")).StatusCode);

        await app.RevokeAsync(id);

        using var refusedHere = await here.GetAsync($"/api/cases?storeId={store}");
        using var refusedThere = await there.GetAsync($"/api/cases?storeId={store}");
        Assert.Equal(HttpStatusCode.Unauthorized, refusedHere.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedThere.StatusCode);
        Assert.Equal("Unauthorized", (await refusedThere.ProblemAsync())["title"]!.GetValue<string>());
        var listed = (await app.AdminClient().GetFromJsonAsync<JsonObject>("/api/access-keys"))!["items"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;
        Assert.NotNull(listed["revokedAt"]);

        using var again = await app.AdminClient().DeleteAsync($"/api/access-keys/{id}");
        using var missing = await app.AdminClient().DeleteAsync("/api/access-keys/k0000000000000000");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("k0123456789abcdef.wrongsecretwrongsecretwrongsecretwrongsecret")]
    [InlineData("")]
    public async Task AnUnknownOrMalformedKey_Is401ProblemJson(string key)
    {
        var store = await app.CreateStoreAsync();
        using var client = app.App.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);

        using var response = await client.GetAsync($"/api/cases?storeId={store}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", (await response.ProblemAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWrongSecretOfARealKey_Is401()
    {
        var store = await app.CreateStoreAsync();
        var (id, _) = await app.CreateKeyAsync($"store:{store}");
        using var client = app.BearerClient(id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        using var response = await client.GetAsync($"/api/cases?storeId={store}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Current_SaysWhatTheKeyMayDo_AndTheAdminKeyWorksAsABearerToken()
    {
        var (id, key) = await app.CreateKeyAsync("region:brno", "viewer", "Brno area");

        var current = (await app.BearerClient(key).GetFromJsonAsync<JsonObject>("/api/access-keys/current"))!;
        var admin = (await app.BearerClient(AppFixture.AdminKey).GetFromJsonAsync<JsonObject>("/api/access-keys/current"))!;

        Assert.Equal((id, "Brno area", "region:brno", "viewer", false, false),
            (current["id"]!.GetValue<string>(), current["name"]!.GetValue<string>(), current["scope"]!.GetValue<string>(),
             current["role"]!.GetValue<string>(), current["admin"]!.GetValue<bool>(), current["canChangeCases"]!.GetValue<bool>()));
        Assert.Equal(("chain", true, true), (admin["scope"]!.GetValue<string>(), admin["admin"]!.GetValue<bool>(), admin["canChangeCases"]!.GetValue<bool>()));
    }
}
