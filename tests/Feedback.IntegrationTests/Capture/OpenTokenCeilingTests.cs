using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Capture;

/// <summary>The daily ceiling of an open QR token: three answers a day here, counted in storage, so two instances share it.</summary>
public sealed class OpenTokenCeilingTests(OpenTokenCeilingTests.Fixture app) : IClassFixture<OpenTokenCeilingTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RateLimits:OpenTokenPerDay"] = "3",
            ["RateLimits:TokenPerMinute"] = "10000",
            ["RateLimits:IpPerMinute"] = "10000",
        };
    }

    [Fact]
    public async Task FourthAnswerOfTheDayWithAnOpenToken_IsTooManyRequestsUntilTomorrow_OnEveryInstance()
    {
        var other = app.StartApp().CreateClient();
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);
        var otherToken = await app.MintTokenAsync(store, touchpoint: "web");

        await app.SubmitAcceptedAsync(new { token, score = 9 });
        using var second = await other.PostAsJsonAsync("/api/feedback", new { token, score = 9 });
        await app.SubmitAcceptedAsync(new { token, score = 9 });
        using var fourth = await other.PostAsJsonAsync("/api/feedback", new { token, score = 9 });
        using var fifth = await app.SubmitAsync(new { token, score = 9 });
        using var otherTokens = await app.SubmitAsync(new { token = otherToken, score = 9 });

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        foreach (var refused in new[] { fourth, fifth })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var problem = await refused.ProblemAsync();
            Assert.Contains("3 answers for today", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            var seconds = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), NumberStyles.None, CultureInfo.InvariantCulture);
            var midnight = DateTimeOffset.UtcNow.Date.AddDays(1);
            Assert.InRange(seconds, (midnight - DateTime.UtcNow).TotalSeconds - 60, (midnight - DateTime.UtcNow).TotalSeconds + 60);
        }

        Assert.Equal(HttpStatusCode.Accepted, otherTokens.StatusCode);
    }

    [Fact]
    public async Task RetriesOfOneAnswer_CountOnceAgainstTheCeiling_AndAreTakenAfterItIsReached()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);
        var id = Guid.NewGuid().ToString("N");

        var first = await app.SubmitAcceptedAsync(new { id, token, score = 9 });
        Assert.Equal(first, await app.SubmitAcceptedAsync(new { id, token, score = 9 }));
        Assert.Equal(first, await app.SubmitAcceptedAsync(new { id, token, score = 9 }));
        await app.SubmitAcceptedAsync(new { id = Guid.NewGuid().ToString("N"), token, score = 9 });
        await app.SubmitAcceptedAsync(new { token, score = 9 });
        using var fourth = await app.SubmitAsync(new { id = Guid.NewGuid().ToString("N"), token, score = 9 });

        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal(first, await app.SubmitAcceptedAsync(new { id, token, score = 9 }));
    }

    [Fact]
    public async Task Retention_DeletesDayPinsAfterThirtyDays_AndReceiptClaimsOnceTheirTokenHasExpired()
    {
        var store = await app.CreateStoreAsync();
        await app.SubmitAcceptedAsync(new { id = Guid.NewGuid().ToString("N"), token = await app.MintTokenAsync(store), score = 9 });
        // A receipt token is valid for 14 days unless minted otherwise.
        await app.SubmitAcceptedAsync(new { token = await app.MintTokenAsync(store, receiptId: $"R-{Guid.NewGuid():N}"[..20]), score = 9 });
        var capture = app.App.Services.GetRequiredService<Feedback.Functions.Capture.CaptureService>();
        var pins = app.Storage().Table(Feedback.Functions.Storage.TableNames.AnswerDays);
        var receipts = app.Storage().Table(Feedback.Functions.Storage.TableNames.Receipts);
        async Task<(int, int)> RowsAsync() => (
            (await pins.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == store).ToListAsync()).Count,
            (await receipts.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == store).ToListAsync()).Count);
        Assert.Equal((1, 1), await RowsAsync());

        await capture.ForgetOldClaimsAsync(DateTimeOffset.UtcNow.AddDays(13), CancellationToken.None);
        Assert.Equal((1, 1), await RowsAsync());

        await capture.ForgetOldClaimsAsync(DateTimeOffset.UtcNow.AddDays(15), CancellationToken.None);
        Assert.Equal((1, 0), await RowsAsync());

        await capture.ForgetOldClaimsAsync(DateTimeOffset.UtcNow.AddDays(31), CancellationToken.None);
        Assert.Equal((0, 0), await RowsAsync());
    }

    [Fact]
    public async Task ASurveyPagesRetry_IsTakenAfterTheCeilingIsReached_OnceItsAnswerIsStored()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);
        var (id, day) = (Guid.NewGuid().ToString("N"), Api.TodayIn("Europe/Prague").ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var url = await app.SubmitAcceptedAsync(new { id, token, score = 9, day });
        await app.WaitForStatusAsync(url);
        await app.SubmitAcceptedAsync(new { token, score = 9 });
        await app.SubmitAcceptedAsync(new { token, score = 9 });

        using var another = await app.SubmitAsync(new { id = Guid.NewGuid().ToString("N"), token, score = 9, day });
        Assert.Equal(HttpStatusCode.TooManyRequests, another.StatusCode);
        Assert.Equal(url, await app.SubmitAcceptedAsync(new { id, token, score = 9, day }));
    }

    [Fact]
    public async Task ReceiptTokens_AreNotUnderTheCeiling()
    {
        var store = await app.CreateStoreAsync();

        for (var i = 0; i < 5; i++)
        {
            var token = await app.MintTokenAsync(store, receiptId: $"R-{Guid.NewGuid():N}"[..20]);
            await app.SubmitAcceptedAsync(new { token, score = 9 });
        }

        var rows = app.App.Services.GetRequiredService<Feedback.Functions.Storage.StorageAccount>().Table(Feedback.Functions.Storage.TableNames.OpenTokenDays)
            .QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == store);
        Assert.Empty(await rows.ToListAsync());
    }

    [Fact]
    public async Task Retention_ForgetsThePastDaysCounters_AndKeepsTodays()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store);
        await app.SubmitAcceptedAsync(new { token, score = 9 });
        var days = app.Storage().Table(Feedback.Functions.Storage.TableNames.OpenTokenDays);
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await days.AddEntityAsync(new Azure.Data.Tables.TableEntity(store, yesterday + ".0123456789abcdef") { ["Answers"] = 3 });

        await app.App.Services.GetRequiredService<Feedback.Functions.Scores.Retention>().ApplyAsync(CancellationToken.None);

        var left = new List<string>();
        await foreach (var row in days.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {store}")))
        {
            left.Add(row.RowKey);
        }

        Assert.StartsWith(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".", Assert.Single(left), StringComparison.Ordinal);
    }
}
