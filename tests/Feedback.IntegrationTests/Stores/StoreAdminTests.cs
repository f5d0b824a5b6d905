using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Stores;

/// <summary>The admin API: stores, their devices and their QR tokens, behind X-Admin-Key.</summary>
[Collection(TriggersOffCollection.Name)]
public sealed class StoreAdminTests(TriggersOffFixture app)
{
    private static object StoreBody(string name = "Café", string region = "prague", string timeZone = "Europe/Prague", string[]? languages = null, object? reward = null) =>
        new { name, region, timeZone, languages = languages ?? ["cs", "en"], reward };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-admin-key-0123456789abcdef")]
    [InlineData(AppFixture.AdminKey + "x")]
    public async Task EveryAdminEndpoint_WithoutTheAdminKey_IsUnauthorized_AndChangesNothing(string? adminKey)
    {
        var store = await app.CreateStoreAsync();
        var (deviceId, deviceKey) = await app.EnrollDeviceAsync(store);
        var newStore = Api.NewStoreId();
        var client = app.App.CreateClient();
        if (adminKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
        }

        var responses = new[]
        {
            await client.PutAsJsonAsync($"/api/stores/{newStore}", StoreBody()),
            await client.PutAsJsonAsync($"/api/stores/{store}", StoreBody(name: "Hijacked")),
            await client.GetAsync($"/api/stores/{store}"),
            await client.PostAsJsonAsync($"/api/stores/{store}/devices", new { name = "Rogue", kind = "kiosk" }),
            await client.DeleteAsync($"/api/stores/{store}/devices/{deviceId}"),
            await client.PostAsJsonAsync($"/api/stores/{store}/tokens", new { touchpoint = "store" }),
        };

        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {response.StatusCode}");
            var problem = await response.ProblemAsync();
            Assert.Equal(401, problem["status"]!.GetValue<int>());
            Assert.Null(problem["token"]);
            Assert.Null(problem["deviceKey"]);
            response.Dispose();
        }

        using var created = await app.AdminClient().GetAsync($"/api/stores/{newStore}");
        Assert.Equal(HttpStatusCode.NotFound, created.StatusCode);
        var kept = await app.AdminClient().GetFromJsonAsync<JsonObject>($"/api/stores/{store}");
        Assert.Equal("Café " + store, kept!["name"]!.GetValue<string>());
        await app.SubmitAcceptedAsync(new { score = 5 }, deviceKey);
    }

    [Fact]
    public async Task PutStore_CreatesWith201_ThenReplacesWith200_AndGetShowsTheNewValues()
    {
        var store = Api.NewStoreId();
        var admin = app.AdminClient();
        var reward = JsonNode.Parse("""
            {"title":{"cs":"Káva zdarma","en":"Free coffee"},"validDays":14,"dailyCap":50,"eligible":["receipt","static"],"note":"<b>&</b>"}
            """)!;

        using var create = await admin.PutAsJsonAsync($"/api/stores/{store}", StoreBody());
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal($"/api/stores/{store}", create.Headers.Location!.ToString());
        Assert.Equal(store, (await create.Content.ReadFromJsonAsync<JsonObject>())!["storeId"]!.GetValue<string>());

        using var replace = await admin.PutAsJsonAsync($"/api/stores/{store}",
            StoreBody(name: "Café Nové Město", region: "brno", timeZone: "Europe/Bratislava", languages: ["SK", "en-GB"], reward: reward));
        Assert.Equal(HttpStatusCode.OK, replace.StatusCode);

        var got = (await admin.GetFromJsonAsync<JsonObject>($"/api/stores/{store}"))!;
        Assert.Equal(store, got["storeId"]!.GetValue<string>());
        Assert.Equal("Café Nové Město", got["name"]!.GetValue<string>());
        Assert.Equal("brno", got["region"]!.GetValue<string>());
        Assert.Equal("Europe/Bratislava", got["timeZone"]!.GetValue<string>());
        Assert.Equal(["sk", "en-gb"], got["languages"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(reward, got["reward"]), got["reward"]?.ToJsonString());
        Assert.Null(got["partitionKey"]);
        Assert.Null(got["rowKey"]);

        // Replace, not merge: a PUT without a reward removes it.
        using var withoutReward = await admin.PutAsJsonAsync($"/api/stores/{store}", StoreBody());
        Assert.Equal(HttpStatusCode.OK, withoutReward.StatusCode);
        var after = (await admin.GetFromJsonAsync<JsonObject>($"/api/stores/{store}"))!;
        Assert.Null(after["reward"]);
        Assert.Equal("Europe/Prague", after["timeZone"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> InvalidStores => new()
    {
        { "Store-A", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"]}""", "storeId" },
        { new string('a', 41), """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"]}""", "storeId" },
        { "s_1", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"]}""", "storeId" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Mars/Base","languages":["cs"]}""", "timeZone" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"CET-ish","languages":["cs"]}""", "timeZone" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"../../../etc/passwd","languages":["cs"]}""", "timeZone" },
        { "ok-store", """{"name":"n","region":"prague","languages":["cs"]}""", "timeZone" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":[]}""", "languages" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague"}""", "languages" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["czech"]}""", "languages" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["a","b","c","d","e","f","g","h","i"]}""", "languages" },
        { "ok-store", """{"name":"","region":"prague","timeZone":"Europe/Prague","languages":["cs"]}""", "name" },
        { "ok-store", """{"name":"n","region":"Prague","timeZone":"Europe/Prague","languages":["cs"]}""", "region" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"],"reward":5}""", "reward" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"],"reward":{"title":{"cs":"Čaj"},"validDays":30,"dailyCap":10}}""", "reward.eligible" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"],"reward":{"title":{"cs":"Čaj"},"validDays":30,"dailyCap":10,"eligible":["everyone"]}}""", "reward.eligible" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"],"reward":{"title":{},"validDays":30,"dailyCap":10,"eligible":["receipt"]}}""", "reward.title" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"],"reward":{"title":{"cs":"Čaj"},"validDays":-1,"dailyCap":10,"eligible":["receipt"]}}""", "reward.validDays" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"],"reward":{"title":{"cs":"Čaj"},"validDays":30,"eligible":["receipt"]}}""", "reward.dailyCap" },
        { "ok-store", """{"name":"n","region":"prague","timeZone":"Europe/Prague","languages":["cs"],"reward":{"title":{"cs":"Čaj"},"validDays":"30","dailyCap":10,"eligible":["receipt"]}}""", "reward" },
    };

    [Theory]
    [MemberData(nameof(InvalidStores))]
    public async Task PutStore_WithAnInvalidField_IsProblemNamingIt_AndCreatesNothing(string storeId, string json, string field)
    {
        var id = storeId == "ok-store" ? Api.NewStoreId() : storeId;
        var admin = app.AdminClient();

        using var response = await admin.PutAsync($"/api/stores/{id}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], ErrorFields(await response.ProblemAsync()));
        using var get = await admin.GetAsync($"/api/stores/{id}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task PutStore_WithSeveralInvalidFields_NamesThemAll()
    {
        using var response = await app.AdminClient().PutAsJsonAsync("/api/stores/BAD", new { name = "", region = "", timeZone = "Mars/Base", languages = Array.Empty<string>() });

        Assert.Equal(["languages", "name", "region", "storeId", "timeZone"], ErrorFields(await response.ProblemAsync()));
    }

    [Theory]
    [InlineData("no-such-store")]
    [InlineData("UPPER")]
    public async Task GetStore_Unknown_IsNotFound(string storeId)
    {
        using var response = await app.AdminClient().GetAsync($"/api/stores/{storeId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await response.ProblemAsync())["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task EnrollDevice_ForAnUnknownStore_IsNotFound()
    {
        using var response = await app.AdminClient().PostAsJsonAsync($"/api/stores/{Api.NewStoreId()}/devices", new { name = "Kiosk", kind = "kiosk" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await response.ProblemAsync())["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"name":"Kiosk","kind":"tablet"}""", "kind")]
    [InlineData("""{"name":"Kiosk","kind":"Kiosk"}""", "kind")]
    [InlineData("""{"name":"Kiosk"}""", "kind")]
    [InlineData("""{"name":"","kind":"pos"}""", "name")]
    public async Task EnrollDevice_WithAnInvalidField_IsProblemNamingIt(string json, string field)
    {
        var store = await app.CreateStoreAsync();

        using var response = await app.AdminClient().PostAsync($"/api/stores/{store}/devices", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], ErrorFields(await response.ProblemAsync()));
    }

    [Fact]
    public async Task EnrollDevice_ReturnsItsKeyOnce_WhichWorks_AndNeverAppearsInTheStore()
    {
        var store = await app.CreateStoreAsync();
        var admin = app.AdminClient();

        using var response = await admin.PostAsJsonAsync($"/api/stores/{store}/devices", new { name = "Till 3", kind = "pos" });
        using var again = await admin.PostAsJsonAsync($"/api/stores/{store}/devices", new { name = "Till 3", kind = "pos" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var deviceId = body["deviceId"]!.GetValue<string>();
        var deviceKey = body["deviceKey"]!.GetValue<string>();
        Assert.Equal("pos", body["kind"]!.GetValue<string>());
        Assert.Equal($"/api/stores/{store}/devices/{deviceId}", response.Headers.Location!.ToString());
        Assert.StartsWith(deviceId + ".", deviceKey, StringComparison.Ordinal);
        var secret = deviceKey[(deviceId.Length + 1)..];
        Assert.True(secret.Length >= 32, secret);
        var otherKey = (await again.Content.ReadFromJsonAsync<JsonObject>())!["deviceKey"]!.GetValue<string>();
        Assert.NotEqual(deviceKey, otherKey);
        Assert.NotEqual(secret, otherKey[(otherKey.IndexOf('.', StringComparison.Ordinal) + 1)..]);

        var storeJson = await admin.GetStringAsync($"/api/stores/{store}");
        Assert.DoesNotContain(secret, storeJson, StringComparison.Ordinal);
        Assert.DoesNotContain(deviceId, storeJson, StringComparison.Ordinal);

        await app.SubmitAcceptedAsync(new { score = 8 }, deviceKey);
        await app.SubmitAcceptedAsync(new { score = 8 }, otherKey);
    }

    [Fact]
    public async Task RevokeDevice_Twice_IsNoContentBothTimes_AndTheKeyStopsWorking()
    {
        var store = await app.CreateStoreAsync();
        var (deviceId, key) = await app.EnrollDeviceAsync(store);
        var (_, otherKey) = await app.EnrollDeviceAsync(store);
        var admin = app.AdminClient();

        using var first = await admin.DeleteAsync($"/api/stores/{store}/devices/{deviceId}");
        using var second = await admin.DeleteAsync($"/api/stores/{store}/devices/{deviceId}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        using var revoked = await app.SubmitAsync(new { score = 5 }, key);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        await app.SubmitAcceptedAsync(new { score = 5 }, otherKey);
    }

    [Fact]
    public async Task RevokeDevice_OfAnotherStore_OrUnknown_IsNotFound_AndTheDeviceKeepsWorking()
    {
        var store = await app.CreateStoreAsync();
        var other = await app.CreateStoreAsync();
        var (deviceId, key) = await app.EnrollDeviceAsync(store);
        var admin = app.AdminClient();

        foreach (var path in new[]
        {
            $"/api/stores/{other}/devices/{deviceId}",
            $"/api/stores/{Api.NewStoreId()}/devices/{deviceId}",
            $"/api/stores/{store}/devices/d0000000000000000",
            $"/api/stores/{store}/devices/not-a-device",
        })
        {
            using var response = await admin.DeleteAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, path);
            Assert.Equal(404, (await response.ProblemAsync())["status"]!.GetValue<int>());
        }

        await app.SubmitAcceptedAsync(new { score = 5 }, key);
    }

    [Fact]
    public async Task DeviceAnswer_WhenItsStoreNoLongerExists_IsUnauthorizedProblem_NotAcceptedAndLost()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        await app.SubmitAcceptedAsync(new { score = 9 }, key);

        // There is no route that deletes a store: the row goes from the table, and from the app's short-lived store cache.
        await app.Storage().Table(TableNames.Stores).DeleteEntityAsync(store, "");
        app.App.Services.GetRequiredService<StoreCache>().Forget(store);
        using var response = await app.SubmitAsync(new { score = 9 }, key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal((401, "The device's store no longer exists."), (problem["status"]!.GetValue<int>(), problem["detail"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"touchpoint":"store","receiptId":"has space"}""", "receiptId")]
    [InlineData("""{"touchpoint":"store","receiptId":""}""", "receiptId")]
    [InlineData("""{"touchpoint":"store","receiptId":"r/1"}""", "receiptId")]
    [InlineData("""{"touchpoint":"store","validForDays":0}""", "validForDays")]
    [InlineData("""{"touchpoint":"store","validForDays":731}""", "validForDays")]
    [InlineData("""{"touchpoint":"store","validForDays":-1}""", "validForDays")]
    [InlineData("""{"touchpoint":"moon"}""", "touchpoint")]
    [InlineData("""{"receiptId":"R-1"}""", "touchpoint")]
    public async Task MintToken_WithAnInvalidField_IsProblemNamingIt(string json, string field)
    {
        var store = await app.CreateStoreAsync();

        using var response = await app.AdminClient().PostAsync($"/api/stores/{store}/tokens", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], ErrorFields(await response.ProblemAsync()));
    }

    [Fact]
    public async Task MintToken_WithLongestReceiptId_IsCreated_AndOneLongerIsNot()
    {
        var store = await app.CreateStoreAsync();
        var admin = app.AdminClient();

        using var longest = await admin.PostAsJsonAsync($"/api/stores/{store}/tokens", new { touchpoint = "store", receiptId = new string('R', 64) });
        using var tooLong = await admin.PostAsJsonAsync($"/api/stores/{store}/tokens", new { touchpoint = "store", receiptId = new string('R', 65) });

        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        Assert.Equal(["receiptId"], ErrorFields(await tooLong.ProblemAsync()));
    }

    [Fact]
    public async Task MintToken_ForAnUnknownStore_IsNotFound()
    {
        using var response = await app.AdminClient().PostAsJsonAsync($"/api/stores/{Api.NewStoreId()}/tokens", new { touchpoint = "store" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await response.ProblemAsync())["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(null, null, 365)]
    [InlineData("R-77", null, 14)]
    [InlineData(null, 730, 730)]
    [InlineData("R-78", 1, 1)]
    public async Task MintToken_ReturnsTheSurveyUrl_AndATokenThatIsAccepted(string? receiptId, int? validForDays, int expectedDays)
    {
        var store = await app.CreateStoreAsync();
        var before = DateTimeOffset.UtcNow;

        using var response = await app.AdminClient().PostAsJsonAsync($"/api/stores/{store}/tokens",
            new { touchpoint = "web", receiptId = receiptId is null ? null : receiptId + "-" + Guid.NewGuid().ToString("N")[..6], validForDays });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var token = body["token"]!.GetValue<string>();
        var url = body["url"]!.GetValue<string>();
        Assert.Equal("https://feedback.example/s/" + token, url);
        Assert.Equal(url, response.Headers.Location!.ToString());
        var expiresAt = body["expiresAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(expiresAt, before.AddDays(expectedDays).AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(expectedDays).AddSeconds(1));
        Assert.Contains($".{store}.web.", token, StringComparison.Ordinal);

        var statusUrl = await app.SubmitAcceptedAsync(new { token, score = 9 });
        Assert.StartsWith($"/api/feedback/{store}.", statusUrl, StringComparison.Ordinal);
    }

    private static string[] ErrorFields(JsonObject problem)
    {
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        return [.. problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal)];
    }
}
