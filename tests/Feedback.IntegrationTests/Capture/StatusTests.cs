using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Capture;

/// <summary>
/// GET /api/feedback/{statusId}: pending until ProcessFeedback has run, then processed; a forged id is
/// not found. Triggers are off, so each test decides when messages are processed.
/// </summary>
[Collection(TriggersOffCollection.Name)]
public sealed class StatusTests(TriggersOffFixture app)
{
    [Fact]
    public async Task Status_IsPendingBeforeProcessing_ThenProcessed()
    {
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var id = NewId();

        var url = await app.SubmitAcceptedAsync(new { id, score = 7 }, key);
        var pending = await GetStatusAsync(url);

        Assert.Equal(id, pending["id"]!.GetValue<string>());
        Assert.Equal("pending", pending["status"]!.GetValue<string>());
        Assert.True(await app.QueueCountAsync(QueueNames.FeedbackSubmitted) >= 1);
        Assert.Equal("pending", (await GetStatusAsync(url))["status"]!.GetValue<string>());

        Assert.True(await app.ProcessWaitingAsync() >= 1);

        var processed = await GetStatusAsync(url);
        Assert.Equal(id, processed["id"]!.GetValue<string>());
        Assert.Equal("processed", processed["status"]!.GetValue<string>());
        Assert.Null(processed["reward"]);
    }

    [Fact]
    public async Task TamperedStatusIds_AreNotFound()
    {
        var store = await app.CreateStoreAsync();
        var other = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        var id = NewId();
        var otherId = NewId();
        var url = await app.SubmitAcceptedAsync(new { id, score = 7 }, key);
        var otherUrl = await app.SubmitAcceptedAsync(new { id = otherId, score = 7 }, key);
        await app.ProcessWaitingAsync();

        var parts = url["/api/feedback/".Length..].Split('.');
        var date = Api.TodayIn("Europe/Prague").ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([store, date, AppFixture.TokenKeyId], [parts[0], parts[1], parts[3]]);
        Assert.EndsWith("~" + id, parts[2], StringComparison.Ordinal);
        var mac = parts[4];
        (id, otherId) = (parts[2], otherUrl["/api/feedback/".Length..].Split('.')[2]);
        var otherMac = otherUrl.Split('.')[^1];
        string Url(string s, string i, string k, string m) => $"/api/feedback/{s}.{date}.{i}.{k}.{m}";

        var forged = new[]
        {
            Url(store, id, "k1", Flip(mac, 0)),
            Url(store, id, "k1", Flip(mac, mac.Length / 2)),
            Url(store, id, "k1", Flip(mac, mac.Length - 1)),
            Url(store, otherId, "k1", mac),
            Url(store, id, "k1", otherMac),
            Url(other, id, "k1", mac),
            Url(store, id, "k9", mac),
            Url(store, id, "k1", mac[..^1]),
            Url(store, id, "k1", mac + "A"),
            Url(store, id, "k1", mac) + ".x",
            $"/api/feedback/{store}.{id}.{mac}",
            $"/api/feedback/{store}.{id}.k1.{mac}",
            $"/api/feedback/{store}.20000101.{id}.k1.{mac}",
            $"/api/feedback/{id}",
        };

        var client = app.App.CreateClient();
        foreach (var path in forged)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.Equal(404, (await response.ProblemAsync())["status"]!.GetValue<int>());
        }

        // The genuine links still read, so the 404s above are the forgeries' doing.
        Assert.Equal("processed", (await GetStatusAsync(url))["status"]!.GetValue<string>());
        Assert.Equal("processed", (await GetStatusAsync(otherUrl))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SameClientIdAtTwoStores_HasTwoStatusIds_EachWithItsOwnState()
    {
        var storeA = await app.CreateStoreAsync();
        var storeB = await app.CreateStoreAsync();
        var (_, keyA) = await app.EnrollDeviceAsync(storeA);
        var (_, keyB) = await app.EnrollDeviceAsync(storeB);
        var id = NewId();

        var urlA = await app.SubmitAcceptedAsync(new { id, score = 10 }, keyA);
        await app.ProcessWaitingAsync();
        var urlB = await app.SubmitAcceptedAsync(new { id, score = 1 }, keyB);

        Assert.NotEqual(urlA, urlB);
        Assert.NotEqual(urlA.Split('.')[^1], urlB.Split('.')[^1]);
        Assert.Equal("processed", (await GetStatusAsync(urlA))["status"]!.GetValue<string>());
        Assert.Equal("pending", (await GetStatusAsync(urlB))["status"]!.GetValue<string>());

        await app.ProcessWaitingAsync();
        Assert.Equal("processed", (await GetStatusAsync(urlB))["status"]!.GetValue<string>());
        Assert.Equal(10, (await app.AnswerRowAsync(storeA, id))!.GetInt32("Score"));
        Assert.Equal(1, (await app.AnswerRowAsync(storeB, id))!.GetInt32("Score"));
    }

    private static string NewId() => "st-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Changes one character to another of the base64url alphabet.</summary>
    private static string Flip(string text, int index) =>
        string.Concat(text.AsSpan(0, index), text[index] == 'A' ? "B" : "A", text.AsSpan(index + 1));

    private async Task<JsonObject> GetStatusAsync(string url)
    {
        using var response = await app.App.CreateClient().GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
