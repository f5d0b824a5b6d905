using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Capture;
using Feedback.Functions.Hosting;
using Feedback.Functions.Processing;
using Feedback.Functions.Rewards;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary>
/// A rewarded answer's path keeps these writes, in this order: the receipt claim, the enqueue, the one transaction
/// (answer, counter shard, reward, rewarded shard, cap share), the dirty mark, the code under itself, the follow-up,
/// the message delete. A crash between any two leaves a state the retry or the redelivery completes: one answer,
/// counted once, one reward and code, one unit of the cap. Triggers are off: each test delivers the message itself,
/// and a crash is the loss of everything after it, the instance's memory included.
/// </summary>
[Collection(TriggersOffCollection.Name)]
public sealed class ProcessRedeliveryTests(TriggersOffFixture app)
{
    public static TheoryData<string> CrashPoints => new() { "before the transaction", "after the transaction", "after the dirty mark", "after the code", "after the follow-up" };

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task RedeliveredAfterACrash_StoresCountsAndRewardsOnce_AndCompletesTheRest(string crash)
    {
        var (store, trigger, answer) = await ReceiptAnswerAsync(app, score: 2);
        var storage = app.Storage();
        var day = new StoreDay(store, answer.Day!.Value);

        if (crash != "before the transaction")
        {
            // Every write of the first delivery but its delete, then the ones after the crash undone.
            await FreshInstance(app).RunAsync(trigger, CancellationToken.None);
            var code = (await app.AnswerRowAsync(store, Ids.ClientAnswerId(answer.Id)))!.GetString("RewardCode")!;
            if (crash == "after the transaction")
            {
                await ClearMarksAsync(day);
            }

            if (crash is "after the transaction" or "after the dirty mark")
            {
                await storage.Table(TableNames.RewardCodes).DeleteEntityAsync(code, "");
            }

            if (crash != "after the follow-up")
            {
                await DrainFollowUpsAsync(answer.Id);
            }
        }

        await FreshInstance(app).RunAsync(trigger with { DequeueCount = 2 }, CancellationToken.None);

        var row = (await app.AnswerRowAsync(store, Ids.ClientAnswerId(answer.Id)))!;
        var codes = await app.RewardCodeRowsAsync(store);
        Assert.Equal(row.GetString("RewardCode"), Assert.Single(codes).PartitionKey);
        Assert.Equal(answer.Id, codes[0].GetString("FeedbackId"));
        Assert.Equal(1, await app.CapCountAsync(store));
        var counts = await app.CountersAsync(store, day.Day);
        Assert.Equal((1L, 1L, 1L), (counts.Answered, counts.All.Detractors, counts.Rewarded.Answered));
        Assert.InRange(await FollowUpsAsync(answer.Id), 1, crash == "after the follow-up" ? 2 : 1);
        Assert.Contains(day, (await DirtyStoreDays.ReadAsync(storage, CancellationToken.None)).Select(d => d.Day));
        using var lookup = await app.AdminClient().LookUpAsync(codes[0].PartitionKey);
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
    }

    [Fact]
    public async Task ReceiptClaimedByARequestThatDiedBeforeTheEnqueue_TheRetryWithItsIdIsAcceptedAndRewardedOnce()
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var token = await app.ReceiptTokenAsync(store);
        var id = "page-" + Guid.NewGuid().ToString("N")[..10];
        var first = await app.SubmitAcceptedAsync(new { id, token, score = 9 });
        await DrainAnswersAsync(store);

        // The claim stays; the message is gone, as if the request had died between the two. The page retries with its kept id.
        var retry = await app.SubmitAcceptedAsync(new { id, token, score = 9 });
        await app.ProcessWaitingAsync();

        Assert.Equal(first, retry);
        var status = await app.WaitForStatusAsync(retry, s => s["reward"] is not null);
        Assert.Equal(status["reward"]!.Str("code"), Assert.Single(await app.RewardCodeRowsAsync(store)).PartitionKey);
        Assert.Equal(1, await app.CapCountAsync(store));
    }

    [Fact]
    public async Task OpenTokenAnswerRetriedWithItsIdOnALaterDay_CountsOnTheDayOfItsFirstTry()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store, "web");
        var id = "later-" + Guid.NewGuid().ToString("N")[..10];
        var yesterday = new StoreDay(store, Api.TodayIn("Europe/Prague").AddDays(-1));

        // The first try was accepted yesterday (its day pinned), and its 202 never reached the customer.
        await app.Storage().Table(TableNames.AnswerDays).AddEntityAsync(new TableEntity(store, Ids.StoredAnswerId(null, null, token, id))
        {
            ["Partition"] = yesterday.Key,
        });
        var url = await app.SubmitAcceptedAsync(new { id, token, score = 8 });
        await app.ProcessWaitingAsync();

        Assert.Equal("processed", (await app.WaitForStatusAsync(url))["status"]!.GetValue<string>());
        Assert.Equal(1, (await app.CountersAsync(store, yesterday.Day)).Answered);
        Assert.Equal(0, (await app.CountersAsync(store, yesterday.Day.AddDays(1))).Answered);
    }

    [Fact]
    public async Task SurveyPageAnswer_CountsOnTheDayItsPageWasOpened_WithoutAPin_WithinSevenDays()
    {
        var store = await app.CreateStoreAsync();
        var token = await app.MintTokenAsync(store, "web");
        string NewId() => "page-" + Guid.NewGuid().ToString("N")[..10];
        var (kept, old) = (NewId(), NewId());
        var today = Api.TodayIn("Europe/Prague");
        string Text(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        // Opened before midnight, sent (and sent again) after it: one answer, on the page's day.
        var url = await app.SubmitAcceptedAsync(new { id = kept, token, score = 8, day = Text(today.AddDays(-1)) });
        Assert.Equal(url, await app.SubmitAcceptedAsync(new { id = kept, token, score = 8, day = Text(today.AddDays(-1)) }));
        await app.SubmitAcceptedAsync(new { id = old, token, score = 9, day = Text(today.AddDays(-2)) });
        using var stale = await app.SubmitAsync(new { id = NewId(), token, score = 9, day = Text(today.AddDays(-8)) });
        using var ahead = await app.SubmitAsync(new { id = NewId(), token, score = 9, day = Text(today.AddDays(1)) });
        using var malformed = await app.SubmitAsync(new { id = NewId(), token, score = 9, day = "yesterday" });
        await app.ProcessWaitingAsync();

        foreach (var refused in new[] { stale, ahead, malformed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.ProblemAsync())["errors"]!.AsObject().ContainsKey("day"));
        }

        Assert.Equal((1L, 1L, 0L), (
            (await app.CountersAsync(store, today.AddDays(-2))).Answered,
            (await app.CountersAsync(store, today.AddDays(-1))).Answered,
            (await app.CountersAsync(store, today)).Answered));
        Assert.Empty(await app.Storage().Table(TableNames.AnswerDays).QueryAsync<TableEntity>(e => e.PartitionKey == store).ToListAsync());
    }

    [Fact]
    public async Task DeviceAnswerWithItsIdButNoTime_RetriedOnALaterDay_CountsOnTheDayOfItsFirstTry()
    {
        var store = await app.CreateStoreAsync();
        var (device, key) = await app.EnrollDeviceAsync(store);
        var id = "later-" + Guid.NewGuid().ToString("N")[..10];
        var timed = "timed-" + Guid.NewGuid().ToString("N")[..10];
        var yesterday = new StoreDay(store, Api.TodayIn("Europe/Prague").AddDays(-1));
        var days = app.Storage().Table(TableNames.AnswerDays);

        // The first try was accepted yesterday (its day pinned), and its 202 never reached the kiosk.
        await days.AddEntityAsync(new TableEntity(store, Ids.StoredAnswerId(device, null, null, id)) { ["Partition"] = yesterday.Key });
        var url = await app.SubmitAcceptedAsync(new { id, score = 8 }, key);
        await app.SubmitAcceptedAsync(new { id = timed, score = 9, submittedAt = DateTimeOffset.UtcNow }, key);
        await app.ProcessWaitingAsync();

        Assert.Equal("processed", (await app.WaitForStatusAsync(url))["status"]!.GetValue<string>());
        // Today holds only the answer sent with its time.
        Assert.Equal((1L, 1L), ((await app.CountersAsync(store, yesterday.Day)).Answered, (await app.CountersAsync(store, yesterday.Day.AddDays(1))).Answered));
        // An answer that carries its own time needs no pin: its day follows from it, without a storage call.
        Assert.Null(await days.FindAsync<TableEntity>(store, Ids.StoredAnswerId(device, null, null, timed), CancellationToken.None));
    }

    /// <summary>
    /// A new process: nothing remembered of rows or marks. Its own storage for the transaction, the code row and the
    /// follow-up can stand in for the app's, e.g. to watch its requests or make one step fail.
    /// </summary>
    internal static ProcessFeedbackFunction FreshInstance(AppFixture app, StorageAccount? storage = null, StorageAccount? codes = null, StorageAccount? followUps = null)
    {
        var services = app.App.Services;
        var rows = new StoreDayRows();
        var rewards = new RewardIssuer(codes ?? app.Storage(), rows, services.GetRequiredService<RewardOptions>(), TimeProvider.System);
        return ActivatorUtilities.CreateInstance<ProcessFeedbackFunction>(
            services, storage ?? app.Storage(), new MessageQueue(followUps ?? app.Storage()), rows, rewards, new DirtyMarks(app.Storage(), TimeProvider.System));
    }

    /// <summary>A receipt answer at a store with a campaign, as capture would queue it, and its message.</summary>
    internal static async Task<(string Store, QueueTrigger Trigger, FeedbackSubmitted Answer)> ReceiptAnswerAsync(AppFixture app, int score)
    {
        var store = await app.CreateStoreAsync(reward: Api.Reward());
        var now = DateTimeOffset.UtcNow;
        var receipt = RewardFlows.NewReceiptId();
        var answer = new FeedbackSubmitted(Ids.StoredAnswerId(null, receipt, null, "crash-" + Guid.NewGuid().ToString("N")[..8]), store, Touchpoint.Store,
            AnswerSource.Token, null, null, receipt, new NpsScore(score), null, null, [], "cold coffee", "en", now, now, null, null, null,
            Day: StoreDay.LocalDate(now, "Europe/Prague"));
        return (store, new QueueTrigger(JsonSerializer.Serialize(answer, MessageQueue.Json), "m1", 1, now), answer);
    }

    private async Task<int> FollowUpsAsync(string feedbackId) => (await FollowUpMessagesAsync(feedbackId, delete: false)).Count;

    private async Task DrainFollowUpsAsync(string feedbackId) => await FollowUpMessagesAsync(feedbackId, delete: true);

    /// <summary>This answer's messages on followup-requested (the collection's other tests leave theirs); made visible again unless deleted.</summary>
    private async Task<List<string>> FollowUpMessagesAsync(string feedbackId, bool delete)
    {
        var queue = app.Storage().Queue(QueueNames.FollowUpRequested);
        var mine = new List<string>();
        var seen = new List<Azure.Storage.Queues.Models.QueueMessage>();
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value is { Length: > 0 } batch)
        {
            seen.AddRange(batch);
        }

        foreach (var message in seen)
        {
            var ours = message.Body.ToString().Contains(JsonSerializer.Serialize(feedbackId), StringComparison.Ordinal);
            if (ours)
            {
                mine.Add(message.MessageId);
            }

            if (ours && delete)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            }
        }

        return mine;
    }

    private async Task ClearMarksAsync(StoreDay day)
    {
        foreach (var marker in (await DirtyStoreDays.ReadAsync(app.Storage(), CancellationToken.None)).Where(d => d.Day == day))
        {
            await app.Storage().Table(TableNames.RollupDirty).DeleteEntityAsync(marker.PartitionKey, marker.RowKey);
        }
    }

    /// <summary>Deletes the store's waiting answers, as if they had never been sent.</summary>
    private async Task DrainAnswersAsync(string store)
    {
        var queue = app.Storage().Queue(QueueNames.FeedbackSubmitted);
        foreach (var message in (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value)
        {
            if (MessageQueue.Read<FeedbackSubmitted>(message.Body.ToString()).StoreId == store)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            }
        }
    }
}
