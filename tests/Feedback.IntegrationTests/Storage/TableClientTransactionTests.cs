using Azure;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.Storage.Tables;

namespace Feedback.IntegrationTests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTransactionTests(AzuriteFixture azurite) : TableTestBase(azurite)
{
    [Fact]
    public async Task SubmitTransaction_AllActionKinds_AppliesThemAndReturnsETagsInOrder()
    {
        var toMerge = await Table.AddEntityAsync(new TableEntity("p", "merge") { ["A"] = 1, ["B"] = 1 });
        var toReplace = await Table.AddEntityAsync(new TableEntity("p", "replace") { ["A"] = 1, ["B"] = 1 });
        await Table.AddEntityAsync(new TableEntity("p", "upsert") { ["A"] = 1, ["B"] = 1 });
        await Table.AddEntityAsync(new TableEntity("p", "delete"));

        var etags = await Table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add") { ["A"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "merge") { ["A"] = 2 }, toMerge),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "replace") { ["A"] = 2 }, toReplace),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsert") { ["A"] = 2 }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "new") { ["A"] = 2 }),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete")),
        ]);

        Assert.Equal(6, etags.Count);
        Assert.Equal(default, etags[5]);
        var entities = (await AllAsync()).ToDictionary(e => e.RowKey);
        string[] written = ["add", "merge", "new", "replace", "upsert"];
        Assert.Equal(written, entities.Keys.Order());
        Assert.Equal([etags[0], etags[1], etags[4], etags[2], etags[3]], written.Select(k => entities[k].ETag));
        Assert.Equal(1, entities["merge"].GetInt32("B"));
        Assert.False(entities["replace"].ContainsKey("B"));
        Assert.Equal(1, entities["upsert"].GetInt32("B"));
        Assert.All(entities.Values.Where(e => e.RowKey != "add"), e => Assert.Equal(2, e.GetInt32("A")));
    }

    [Fact]
    public async Task SubmitTransaction_SecondActionConflicts_RollsBackAndNamesIndex1()
    {
        await Table.AddEntityAsync(new TableEntity("p", "exists") { ["A"] = 1 });

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "fresh")),
            new(TableTransactionActionType.Add, new TableEntity("p", "exists")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "other")),
        ]));

        Assert.Equal(1, error.FailedActionIndex);
        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.Equal(["exists"], (await AllAsync()).Select(e => e.RowKey));
    }

    [Fact]
    public async Task SubmitTransaction_DeletingAMissingEntity_RollsBackWith404AndItsIndex()
    {
        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "a")),
            new(TableTransactionActionType.Add, new TableEntity("p", "b")),
            new(TableTransactionActionType.Delete, new TableEntity("p", "missing")),
        ]));

        Assert.Equal(2, error.FailedActionIndex);
        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.Empty(await AllAsync());
    }

    [Fact]
    public async Task SubmitTransaction_StaleETag_Fails412()
    {
        var stale = await Table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = 1 });
        await Table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 2 });

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
            [new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "r") { ["A"] = 3 }, stale)]));

        Assert.Equal(0, error.FailedActionIndex);
        Assert.Equal(412, error.Status);
        Assert.Equal(2, (await Table.GetEntityAsync("p", "r")).GetInt32("A"));
    }

    [Fact]
    public async Task SubmitTransaction_With101Actions_IsRejectedBeforeSending()
    {
        var recorder = new RecordingHandler();
        var table = NewClient(Table.Name, recorder.Options());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i}")))));

        Assert.Contains("100", error.Message, StringComparison.Ordinal);
        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public async Task SubmitTransaction_AcrossPartitions_IsRejectedBeforeSending()
    {
        var recorder = new RecordingHandler();
        var table = NewClient(Table.Name, recorder.Options());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p1", "r")),
            new(TableTransactionActionType.Add, new TableEntity("p2", "r")),
        ]));

        Assert.Contains("PartitionKey", error.Message, StringComparison.Ordinal);
        Assert.Empty(recorder.Requests);
        Assert.Empty(await AllAsync());
    }

    [Fact]
    public async Task SubmitTransaction_SameEntityTwice_IsRejectedBeforeSending()
    {
        var recorder = new RecordingHandler();
        var table = NewClient(Table.Name, recorder.Options());

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "r")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "r")),
        ]));

        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public async Task SubmitTransaction_OneHundredActions_Succeeds()
    {
        var etags = await Table.SubmitTransactionAsync(
            Enumerable.Range(0, 100).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i:D3}"))));

        Assert.Equal(100, etags.Count);
        Assert.All(etags, e => Assert.NotEqual(default, e));
        Assert.Equal(100, (await AllAsync()).Count);
    }

    [Fact]
    public async Task SubmitTransaction_ReturnedETag_WorksForTheNextUpdate()
    {
        var etags = await Table.SubmitTransactionAsync([new(TableTransactionActionType.Add, new TableEntity("p", "r") { ["A"] = 1 })]);

        await Table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = 2 }, etags[0]);

        Assert.Equal(2, (await Table.GetEntityAsync("p", "r")).GetInt32("A"));
        var stale = await Assert.ThrowsAsync<RequestFailedException>(
            () => Table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = 3 }, etags[0]));
        Assert.Equal(412, stale.Status);
    }
}
