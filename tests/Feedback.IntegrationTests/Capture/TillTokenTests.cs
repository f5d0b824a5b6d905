using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Feedback.Functions.Answers;
using Feedback.Functions.Stores;
using Feedback.Functions.Tokens;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.IntegrationTests.Rewards;

namespace Feedback.IntegrationTests.Capture;

/// <summary>
/// Each till mints receipt tokens with its own key, fetched with its device key: revoking the till refuses its
/// tokens on submit and on the survey page, while posters (store-key tokens) stay valid.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class TillTokenTests(ProcessingFixture app)
{
    [Fact]
    public async Task TillToken_MintedWithTheKeyTheTillFetched_IsAccepted_AndTheKeyIsDerivedAsDocumented()
    {
        var store = await app.CreateStoreAsync();
        var (till, tillKey) = await app.EnrollDeviceAsync(store, "pos");

        var signing = await SigningKeyAsync(tillKey);
        var key = Convert.FromBase64String(signing.Str("key"));
        var token = QrToken.Create(Claims(store, "R-" + Guid.NewGuid().ToString("N")[..10], till), key);
        var url = await app.SubmitAcceptedAsync(new { token, score = 9 });

        Assert.Equal((store, till, AppFixture.TokenKeyId), (signing.Str("storeId"), signing.Str("deviceId"), signing.Str("keyId")));
        // docs/qr-tokens.md: HMAC-SHA256(HMAC-SHA256(master, "qr-store-key:" + store), "qr-device-key:" + device).
        var storeKey = HMACSHA256.HashData(Convert.FromBase64String(AppFixture.TokenKeyBase64), Encoding.UTF8.GetBytes("qr-store-key:" + store));
        Assert.Equal(HMACSHA256.HashData(storeKey, Encoding.UTF8.GetBytes("qr-device-key:" + till)), key);
        Assert.NotEqual(storeKey, key);
        Assert.StartsWith($"v2.{AppFixture.TokenKeyId}.{till}.{store}.", token, StringComparison.Ordinal);
        Assert.Equal("processed", (await app.WaitForStatusAsync(url))["status"]!.GetValue<string>());
        using var page = await app.Client.GetAsync($"/s/{token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task RevokedTill_ItsTokensAreRefusedOnSubmitAndOnThePage_WhilePostersAndStoreKeyTokensStayValid()
    {
        var store = await app.CreateStoreAsync();
        var (till, tillKey) = await app.EnrollDeviceAsync(store, "pos");
        var key = Convert.FromBase64String((await SigningKeyAsync(tillKey)).Str("key"));
        var before = QrToken.Create(Claims(store, "R-before-1", till), key);
        var after = QrToken.Create(Claims(store, "R-after-1", till), key);
        var poster = await app.MintTokenAsync(store);
        await app.SubmitAcceptedAsync(new { token = before, score = 8 });

        using (var revoke = await app.AdminClient().DeleteAsync($"/api/stores/{store}/devices/{till}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var refused = await app.SubmitAsync(new { token = after, score = 9 });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.ProblemAsync();
        Assert.Equal(403, problem["status"]!.GetValue<int>());
        Assert.Contains("withdrawn", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var retried = await app.SubmitAsync(new { token = before, score = 8 });
        Assert.Equal(HttpStatusCode.Forbidden, retried.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/s/{after}");
        request.Headers.AcceptLanguage.ParseAdd("en");
        using var page = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("<h1>This QR code no longer works</h1>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var noKey = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/devices/signing-key") { Headers = { { "X-Device-Key", tillKey } } });
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);

        await app.SubmitAcceptedAsync(new { token = poster, score = 10 });
        await app.SubmitAcceptedAsync(new { token = await app.MintTokenAsync(store, receiptId: "R-admin-1"), score = 10 });
        using var posterPage = await app.Client.GetAsync($"/s/{poster}");
        Assert.Equal(HttpStatusCode.OK, posterPage.StatusCode);
    }

    [Fact]
    public async Task OneTillsKey_CannotMintForAnotherTill_NorAsTheStore_NorForAnotherStore()
    {
        var store = await app.CreateStoreAsync();
        var other = await app.CreateStoreAsync();
        var (till, tillKey) = await app.EnrollDeviceAsync(store, "pos");
        var (neighbour, _) = await app.EnrollDeviceAsync(store, "pos");
        var key = Convert.FromBase64String((await SigningKeyAsync(tillKey)).Str("key"));

        string[] forged =
        [
            QrToken.Create(Claims(store, "R-x-1", neighbour), key),
            QrToken.Create(Claims(store, "R-x-2", null), key),
            QrToken.Create(Claims(other, "R-x-3", till), key),
        ];

        foreach (var token in forged)
        {
            using var response = await app.SubmitAsync(new { token, score = 9 });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await response.ProblemAsync();
        }

        using var accepted = await app.SubmitAsync(new { token = QrToken.Create(Claims(store, "R-x-4", till), key), score = 9 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task Kiosks_GetNoSigningKey_AndATokenNamingAKiosk_IsRefused()
    {
        var store = await app.CreateStoreAsync();
        var (kiosk, kioskKey) = await app.EnrollDeviceAsync(store, "kiosk");

        using var asked = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/devices/signing-key") { Headers = { { "X-Device-Key", kioskKey } } });
        using var anonymous = await app.Client.GetAsync("/api/devices/signing-key");
        // Even with the key derived as a till's would be, a kiosk's tokens are not taken.
        var derived = app.App.Services.GetRequiredService<StoreDirectory>().DeviceKey(store, AppFixture.TokenKeyId, kiosk)!;
        using var submitted = await app.SubmitAsync(new { token = QrToken.Create(Claims(store, "R-k-1", kiosk), derived), score = 9 });

        Assert.Equal(HttpStatusCode.Forbidden, asked.StatusCode);
        await asked.ProblemAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, submitted.StatusCode);
    }

    private static QrTokenClaims Claims(string store, string receipt, string? device) =>
        new(AppFixture.TokenKeyId, store, Touchpoint.Store, receipt, DateTimeOffset.UtcNow.AddDays(14), device);

    private async Task<JsonObject> SigningKeyAsync(string deviceKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/devices/signing-key") { Headers = { { "X-Device-Key", deviceKey } } };
        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
