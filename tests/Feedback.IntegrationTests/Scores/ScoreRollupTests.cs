using System.Net.Http.Json;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Scores;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Scores;

/// <summary>Rollups over two stores in one region, one in another, across a DST change, ISO week 53 and month ends.</summary>
public sealed class ScoreRollupTests(ScoreTestData.Fixture app) : IClassFixture<ScoreTestData.Fixture>
{
    private static DateTimeOffset Utc(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Rollups_EqualTheSumsOfTheirAnswers_AndRerunningChangesNothing()
    {
        var region1 = Api.NewStoreId();
        var region2 = Api.NewStoreId();
        var a = await app.CreateStoreAsync(region: region1);
        var b = await app.CreateStoreAsync(region: region1);
        var c = await app.CreateStoreAsync(region: region2, timeZone: "Europe/Warsaw");

        // Prague leaves summer time at 2026-10-25 01:00 UTC: 22:30 UTC on the 24th is already the 25th locally.
        await app.AnswerAsync(a, Utc("2026-10-24T21:30:00Z"), 10);                 // 2026-10-24 (23:30 CEST)
        await app.AnswerAsync(a, Utc("2026-10-24T22:30:00Z"), 2, csat: 5);         // 2026-10-25 (00:30 CEST)
        await app.AnswerAsync(a, Utc("2026-10-25T22:30:00Z"), 8, ces: 3);          // 2026-10-25 (23:30 CET)
        await app.AnswerAsync(a, Utc("2026-10-25T23:30:00Z"), 9, touchpoint: Touchpoint.Kiosk); // 2026-10-26
        await app.AnswerAsync(b, Utc("2026-10-25T10:00:00Z"), 0);                  // 2026-10-25
        await app.AnswerAsync(c, Utc("2026-10-25T10:00:00Z"), 10);                 // 2026-10-25 (Warsaw)
        // Month ends and ISO week 53: 2026-12-31 and 2027-01-01 are in 2026-W53, 2027-01-04 in 2027-W01.
        await app.AnswerAsync(a, Utc("2026-11-30T22:30:00Z"), 10);                 // 2026-11-30 (23:30 CET)
        await app.AnswerAsync(a, Utc("2026-11-30T23:30:00Z"), 5);                  // 2026-12-01
        await app.AnswerAsync(a, Utc("2026-12-31T12:00:00Z"), 9);
        await app.AnswerAsync(a, Utc("2027-01-01T10:00:00Z"), 3);
        await app.AnswerAsync(b, Utc("2027-01-04T10:00:00Z"), 7);

        var aggregator = app.App.Services.GetRequiredService<ScoreAggregator>();
        var first = await aggregator.RunAsync(rebuild: false, CancellationToken.None);
        Assert.Equal(10, first.StoreDays);

        var days = await app.SeriesAsync($"store:{a}", "day", "2026-10-24", "2026-10-26");
        Assert.Equal([("2026-10-24", 1L), ("2026-10-25", 2L), ("2026-10-26", 1L)], days.Ns());
        var oct25 = days.Single(p => p!["period"]!.GetValue<string>() == "2026-10-25")!;
        Assert.Equal(-50.0, oct25["nps"]!.GetValue<double>());   // one detractor, one passive
        Assert.Equal(100.0, oct25["csat"]!.GetValue<double>());
        Assert.Equal(3.0, oct25["ces"]!.GetValue<double>());

        var weeks = await app.SeriesAsync($"store:{a}", "week", "2026-12-28", "2027-01-10");
        Assert.Equal([("2026-W53", 2L), ("2027-W01", 0L)], weeks.Ns());
        var months = await app.SeriesAsync($"store:{a}", "month", "2026-10-01", "2027-01-31");
        Assert.Equal([("2026-10", 4L), ("2026-11", 1L), ("2026-12", 2L), ("2027-01", 1L)], months.Ns());

        var region = await app.SeriesAsync($"region:{region1}", "day", "2026-10-25", "2026-10-25");
        Assert.Equal(3, region.N("2026-10-25"));
        Assert.Equal(1, (await app.SeriesAsync($"region:{region2}", "day", "2026-10-25", "2026-10-25")).N("2026-10-25"));
        Assert.Equal(3, (await app.SeriesAsync($"region:{region1}", "week", "2027-01-01", "2027-01-04")).Sum(p => p!["n"]!.GetValue<long>()));

        var kiosk = await app.SeriesAsync($"store:{a}", "day", "2026-10-26", "2026-10-26", "&touchpoint=kiosk");
        Assert.Equal(1, kiosk.N("2026-10-26"));
        Assert.Equal(0, (await app.SeriesAsync($"store:{a}", "day", "2026-10-26", "2026-10-26", "&touchpoint=store")).N("2026-10-26"));

        // The chain equals a recount of every raw answer in the fixture, per local day.
        var chain = await app.SeriesAsync("chain", "month", "2026-10-01", "2027-01-31");
        var recount = await RecountAsync();
        Assert.Equal(recount.Where(r => r.Key.StartsWith("2026-10", StringComparison.Ordinal)).Sum(r => r.Value), chain.N("2026-10"));
        Assert.Equal(recount.Where(r => r.Key.StartsWith("2027-01", StringComparison.Ordinal)).Sum(r => r.Value), chain.N("2027-01"));

        var before = await SnapshotAsync();
        var again = await aggregator.RunAsync(rebuild: false, CancellationToken.None);
        Assert.Equal(0, again.StoreDays);
        await aggregator.RunAsync(rebuild: true, CancellationToken.None);
        Assert.Equal(before, await SnapshotAsync());

        // One new answer: the next run touches that store-day only.
        await app.AnswerAsync(b, Utc("2026-10-25T12:00:00Z"), 10);
        var incremental = await aggregator.RunAsync(rebuild: false, CancellationToken.None);
        Assert.Equal(1, incremental.StoreDays);
        Assert.Equal(4, (await app.SeriesAsync($"region:{region1}", "day", "2026-10-25", "2026-10-25")).N("2026-10-25"));
        Assert.Equal(2, (await app.SeriesAsync($"store:{b}", "month", "2026-10-01", "2026-10-31")).N("2026-10"));
    }

    [Fact]
    public async Task StoreMovedToAnotherRegion_AfterARebuild_CountsInTheNewRegionOnly_AndLeavesNoStaleCopyInTheOld()
    {
        var (old, moved) = (Api.NewStoreId(), Api.NewStoreId());
        var s = await app.CreateStoreAsync(region: old);
        var t = await app.CreateStoreAsync(region: old);
        await app.AnswerAsync(s, Utc("2026-09-10T10:00:00Z"), 10);
        await app.AnswerAsync(t, Utc("2026-09-10T11:00:00Z"), 0);
        await app.AnswerAsync(s, Utc("2026-09-11T10:00:00Z"), 9);   // the only answer of the old region that day
        var aggregator = app.App.Services.GetRequiredService<ScoreAggregator>();
        await aggregator.RunAsync(rebuild: false, CancellationToken.None);
        Assert.Equal([("2026-09-10", 2L), ("2026-09-11", 1L)], (await app.SeriesAsync($"region:{old}", "day", "2026-09-10", "2026-09-11")).Ns());

        using var move = await app.AdminClient().PutAsJsonAsync($"/api/stores/{s}",
            new { name = "Café " + s, region = moved, timeZone = "Europe/Prague", languages = new[] { "cs", "en" } });
        Assert.True(move.IsSuccessStatusCode, await move.Content.ReadAsStringAsync());
        await aggregator.RunAsync(rebuild: true, CancellationToken.None);
        // A later answer in the old region that day: the incremental run sums the region's per-day copies.
        await app.AnswerAsync(t, Utc("2026-09-11T12:00:00Z"), 5);
        await aggregator.RunAsync(rebuild: false, CancellationToken.None);

        Assert.Equal([("2026-09-10", 1L), ("2026-09-11", 1L)], (await app.SeriesAsync($"region:{old}", "day", "2026-09-10", "2026-09-11")).Ns());
        Assert.Equal(2, (await app.SeriesAsync($"region:{old}", "month", "2026-09-01", "2026-09-30")).N("2026-09"));
        Assert.Equal([("2026-09-10", 1L), ("2026-09-11", 1L)], (await app.SeriesAsync($"region:{moved}", "day", "2026-09-10", "2026-09-11")).Ns());
        var copies = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.Rollups)
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {"regionday." + old + "."} and PartitionKey lt {"regionday." + old + "/"} and RowKey eq {s}"));
        Assert.Empty(await copies.ToListAsync());
    }

    [Fact]
    public async Task AnswersWithAReceiptOrFromADevice_AreCountedAsVerified_ApartFromOpenOnes_UpToTheChain()
    {
        var region = Api.NewStoreId();
        var store = await app.CreateStoreAsync(region: region);
        await app.AnswerAsync(store, Utc("2026-08-03T10:00:00Z"), 9, receiptId: "R-1");
        await app.AnswerAsync(store, Utc("2026-08-03T10:05:00Z"), 10, touchpoint: Touchpoint.Kiosk, source: AnswerSource.Device);
        for (var i = 0; i < 3; i++)
        {
            await app.AnswerAsync(store, Utc("2026-08-03T11:00:00Z").AddMinutes(i), 0);
        }

        await app.App.Services.GetRequiredService<ScoreAggregator>().RunAsync(rebuild: false, CancellationToken.None);

        foreach (var (scope, period, key) in new[] { ($"store:{store}", "day", "2026-08-03"), ($"region:{region}", "week", "2026-W32"), ($"region:{region}", "month", "2026-08") })
        {
            var point = (await app.SeriesAsync(scope, period, "2026-08-03", "2026-08-03")).Single();
            Assert.Equal((key, 5L, 2L, 3L), (point!["period"]!.GetValue<string>(), point["n"]!.GetValue<long>(), point["verified"]!.GetValue<long>(), point["open"]!.GetValue<long>()));
        }
    }

    private async Task<Dictionary<string, long>> RecountAsync()
    {
        var perDay = new Dictionary<string, long>();
        var table = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.Feedback);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {"f."} and RowKey lt {"f/"}"), select: ["PartitionKey"]))
        {
            var day = row.PartitionKey[(row.PartitionKey.LastIndexOf('.') + 1)..];
            perDay[day] = perDay.GetValueOrDefault(day) + 1;
        }

        return perDay;
    }

    private async Task<string> SnapshotAsync()
    {
        var rows = new List<string>();
        var table = app.App.Services.GetRequiredService<StorageAccount>().Table(TableNames.Rollups);
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (row.PartitionKey != "meta")
            {
                rows.Add(row.PartitionKey + "/" + row.RowKey + ":" + string.Join(',', row.Where(p => p.Key.Contains('_', StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
            }
        }

        return string.Join('\n', rows.Order(StringComparer.Ordinal));
    }
}
