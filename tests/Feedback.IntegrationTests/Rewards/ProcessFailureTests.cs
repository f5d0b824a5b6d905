using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Feedback.Functions.Answers;
using Feedback.Functions.Hosting;
using Feedback.Functions.Rewards;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary>
/// ProcessFeedback when a step fails: counts committed are marked for the roll-up before anything that may keep
/// failing, a transaction storage refuses as malformed fails the message at once instead of being retried, and a
/// refusal storage does not place still finds an answer stored by an earlier delivery. Triggers are off: each test
/// delivers the message itself, through an instance whose storage it watches or breaks.
/// </summary>
[Collection(TriggersOffCollection.Name)]
public sealed class ProcessFailureTests(TriggersOffFixture app)
{
    [Theory]
    [InlineData("the code row")]
    [InlineData("the follow-up")]
    public async Task WhileAStepAfterTheTransactionKeepsFailing_TheCountedStoreDayIsMarkedForTheRollUp(string failing)
    {
        var (store, trigger, answer) = await ProcessRedeliveryTests.ReceiptAnswerAsync(app, score: 2);
        var away = WatchedStorage.Of(app, new WatchedStorage.Around(_ => throw new RequestFailedException(503, "Storage is away.")));
        var instance = failing == "the code row"
            ? ProcessRedeliveryTests.FreshInstance(app, codes: away)
            : ProcessRedeliveryTests.FreshInstance(app, followUps: away);

        await Assert.ThrowsAsync<RequestFailedException>(() => instance.RunAsync(trigger, CancellationToken.None));
        await Assert.ThrowsAsync<RequestFailedException>(() => instance.RunAsync(trigger with { DequeueCount = 2 }, CancellationToken.None));

        var day = new StoreDay(store, answer.Day!.Value);
        Assert.Equal(1, (await app.CountersAsync(store, day.Day)).Answered);
        Assert.Contains(day, (await DirtyStoreDays.ReadAsync(app.Storage(), CancellationToken.None)).Select(d => d.Day));
    }

    [Fact]
    public async Task MalformedTransaction_FailsTheMessageAtOnce_WithoutRetryingOrReading()
    {
        // A receipt id storage refuses as a key ('#'): capture never sends one, so this message is malformed.
        var (store, trigger, answer) = await ProcessRedeliveryTests.ReceiptAnswerAsync(app, score: 9);
        answer = answer with { Id = "r-malformed~" + Guid.NewGuid().ToString("N")[..10], ReceiptId = "R#" + Guid.NewGuid().ToString("N")[..8] };
        var requests = 0;
        var watched = WatchedStorage.Of(app, new WatchedStorage.Around(next =>
        {
            Interlocked.Increment(ref requests);
            return next();
        }));

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => ProcessRedeliveryTests.FreshInstance(app, storage: watched)
            .RunAsync(trigger with { Text = JsonSerializer.Serialize(answer, MessageQueue.Json) }, CancellationToken.None));

        Assert.Equal(400, error.Status);
        Assert.Equal(1, requests);
        Assert.Equal(0, (await app.CountersAsync(store, answer.Day!.Value)).Answered);
        Assert.Null(await app.AnswerRowAsync(store, Ids.ClientAnswerId(answer.Id)));
    }

    [Fact]
    public async Task RedeliveredAnswer_WhoseConflictStorageDoesNotPlace_IsFoundStored_CountedAndRewardedOnce()
    {
        var (store, trigger, answer) = await ProcessRedeliveryTests.ReceiptAnswerAsync(app, score: 10);
        await ProcessRedeliveryTests.FreshInstance(app).RunAsync(trigger, CancellationToken.None);
        var unplaced = WatchedStorage.Of(app, new WatchedStorage.Around(async (message, next) =>
        {
            await next();
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && message.Response.ContentStream is { } body)
            {
                // The failed action's index leads the error's message ("2:The specified entity ..."): drop it.
                var text = await new StreamReader(body).ReadToEndAsync();
                message.Response.ContentStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Regex.Replace(text, "\"value\":\"\\d+:", "\"value\":\"")));
            }
        }));
        var day = new StoreDay(store, answer.Day!.Value);
        await unplaced.Table(TableNames.Feedback).AddEntityAsync(new TableEntity(day.Key, "probe"));
        var probe = await Assert.ThrowsAsync<TableTransactionFailedException>(() => unplaced.Table(TableNames.Feedback).SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity(day.Key, "probe2")), new(TableTransactionActionType.Add, new TableEntity(day.Key, "probe"))]));
        await app.Storage().Table(TableNames.Feedback).DeleteEntityAsync(day.Key, "probe");
        Assert.Equal((409, (int?)null), (probe.Status, probe.FailedTransactionActionIndex));

        await ProcessRedeliveryTests.FreshInstance(app, storage: unplaced).RunAsync(trigger with { DequeueCount = 2 }, CancellationToken.None);

        var counts = await app.CountersAsync(store, day.Day);
        Assert.Equal((1L, 1L), (counts.Answered, counts.Rewarded.Answered));
        Assert.Equal(1, await app.CapCountAsync(store));
        var code = (await app.AnswerRowAsync(store, Ids.ClientAnswerId(answer.Id)))!.GetString("RewardCode");
        Assert.Equal(code, Assert.Single(await app.RewardCodeRowsAsync(store)).PartitionKey);
    }
}
