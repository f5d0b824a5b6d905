using Azure;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.Storage.Tables;

namespace Feedback.IntegrationTests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTests(AzuriteFixture azurite) : TableTestBase(azurite)
{
    [Fact]
    public async Task CreateIfNotExists_CalledTwice_ReturnsTrueThenFalse()
    {
        var table = NewClient(AzuriteFixture.UniqueName("t"));
        try
        {
            Assert.True(await table.CreateIfNotExistsAsync());
            Assert.False(await table.CreateIfNotExistsAsync());
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    [Fact]
    public async Task Delete_RemovesTable_AndASecondDeleteIsNoError()
    {
        await Table.AddEntityAsync(new TableEntity("p", "r"));

        await Table.DeleteAsync();
        await Table.DeleteAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Table.GetEntityAsync("p", "r"));
        Assert.Equal(404, error.Status);
        Assert.Equal("TableNotFound", error.ErrorCode);
        Assert.True(await Table.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task AddEntity_ThenGet_ReturnsPropertiesETagAndTimestamp()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var etag = await Table.AddEntityAsync(new TableEntity("p1", "r1") { ["Score"] = 9, ["Comment"] = "great" });

        var entity = await Table.GetEntityAsync("p1", "r1");

        Assert.Equal("p1", entity.PartitionKey);
        Assert.Equal("r1", entity.RowKey);
        Assert.Equal(9, entity.GetInt32("Score"));
        Assert.Equal("great", entity.GetString("Comment"));
        Assert.StartsWith("W/\"datetime'", etag.ToString(), StringComparison.Ordinal);
        Assert.Equal(etag, entity.ETag);
        Assert.InRange(entity.Timestamp!.Value, before, DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task GetEntity_WithSelect_ReturnsOnlyThoseProperties()
    {
        await Table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = 1, ["B"] = 2, ["C"] = 3 });

        var entity = await Table.GetEntityAsync("p", "r", ["A", "C"]);

        Assert.Equal(1, entity.GetInt32("A"));
        Assert.Equal(3, entity.GetInt32("C"));
        Assert.False(entity.ContainsKey("B"));
        Assert.NotEqual(default, entity.ETag);
    }

    [Fact]
    public async Task AddEntity_Twice_Throws409EntityAlreadyExists()
    {
        await Table.AddEntityAsync(new TableEntity("p", "r"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
    }

    [Fact]
    public async Task GetEntity_Missing_Throws404ResourceNotFound()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Table.GetEntityAsync("p", "missing"));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task GetEntityIfExists_Missing_ReturnsNull_ButAMissingTableStillThrows()
    {
        await Table.AddEntityAsync(new TableEntity("p", "present"));

        Assert.Null(await Table.GetEntityIfExistsAsync("p", "missing"));
        Assert.Equal("present", (await Table.GetEntityIfExistsAsync("p", "present"))!.RowKey);
        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => NewClient(AzuriteFixture.UniqueName("t")).GetEntityIfExistsAsync("p", "r"));
        Assert.Equal("TableNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task UpdateEntity_Merge_KeepsPropertiesNotSent()
    {
        var etag = await Table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = 1, ["B"] = "b" });

        var newEtag = await Table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = 2 }, etag, TableUpdateMode.Merge);

        var entity = await Table.GetEntityAsync("p", "r");
        Assert.Equal(2, entity.GetInt32("A"));
        Assert.Equal("b", entity.GetString("B"));
        Assert.NotEqual(etag, newEtag);
        Assert.Equal(newEtag, entity.ETag);
    }

    [Fact]
    public async Task UpdateEntity_Replace_RemovesPropertiesNotSent()
    {
        var etag = await Table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = 1, ["B"] = "b" });

        await Table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = 2 }, etag, TableUpdateMode.Replace);

        var entity = await Table.GetEntityAsync("p", "r");
        Assert.Equal(2, entity.GetInt32("A"));
        Assert.False(entity.ContainsKey("B"));
    }

    [Fact]
    public async Task UpdateEntity_WithStaleETag_Throws412AndChangesNothing()
    {
        var stale = await Table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = 1 });
        await Table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = 2 }, stale);

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => Table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = 3 }, stale, TableUpdateMode.Replace));

        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.Equal(2, (await Table.GetEntityAsync("p", "r")).GetInt32("A"));
    }

    [Fact]
    public async Task UpdateEntity_Missing_Throws404_InsteadOfInserting()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => Table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = 1 }, ETag.All));

        Assert.Equal(404, error.Status);
        Assert.Null(await Table.GetEntityIfExistsAsync("p", "r"));
    }

    [Fact]
    public async Task UpsertEntity_Merge_InsertsThenMerges()
    {
        await Table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 1, ["B"] = 1 });
        var etag = await Table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 2 }, TableUpdateMode.Merge);

        var entity = await Table.GetEntityAsync("p", "r");
        Assert.Equal(2, entity.GetInt32("A"));
        Assert.Equal(1, entity.GetInt32("B"));
        Assert.Equal(etag, entity.ETag);
    }

    [Fact]
    public async Task UpsertEntity_Replace_InsertsThenReplaces()
    {
        await Table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 1, ["B"] = 1 }, TableUpdateMode.Replace);
        await Table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 2 }, TableUpdateMode.Replace);

        var entity = await Table.GetEntityAsync("p", "r");
        Assert.Equal(2, entity.GetInt32("A"));
        Assert.False(entity.ContainsKey("B"));
    }

    [Fact]
    public async Task DeleteEntity_WithCurrentETag_Deletes_AndWithStaleETagThrows412()
    {
        var stale = await Table.AddEntityAsync(new TableEntity("p", "r"));
        var current = await Table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = 1 }, stale);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Table.DeleteEntityAsync("p", "r", stale));
        Assert.Equal(412, error.Status);
        Assert.NotNull(await Table.GetEntityIfExistsAsync("p", "r"));

        await Table.DeleteEntityAsync("p", "r", current);
        Assert.Null(await Table.GetEntityIfExistsAsync("p", "r"));
    }

    [Fact]
    public async Task DeleteEntity_Unconditional_DeletesAndIgnoresMissing()
    {
        await Table.AddEntityAsync(new TableEntity("p", "r"));

        await Table.DeleteEntityAsync("p", "r");
        await Table.DeleteEntityAsync("p", "r");
        await Table.DeleteEntityAsync("p", "r", ETag.All);

        Assert.Null(await Table.GetEntityIfExistsAsync("p", "r"));
    }

    [Fact]
    public async Task DeleteEntity_MissingWithSpecificETag_Throws404()
    {
        var etag = await Table.AddEntityAsync(new TableEntity("p", "r"));
        await Table.DeleteEntityAsync("p", "r");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Table.DeleteEntityAsync("p", "r", etag));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Query_WithFilterSelectAndTop_ReturnsMatchingEntitiesInPages()
    {
        for (var i = 0; i < 10; i++)
        {
            await Table.AddEntityAsync(new TableEntity("p", $"r{i:D2}") { ["Score"] = i, ["Note"] = "n" + i });
        }

        var pages = await Table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p"} and Score ge {4}"), maxPerPage: 4, select: ["Score"])
            .AsPages().ToListAsync();

        Assert.Equal([4, 2], pages.Select(p => p.Values.Count));
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.Null(pages[^1].ContinuationToken);
        var entities = pages.SelectMany(p => p.Values).ToList();
        Assert.Equal(Enumerable.Range(4, 6), entities.Select(e => e.GetInt32("Score")!.Value));
        Assert.All(entities, e => Assert.False(e.ContainsKey("Note")));
        Assert.All(entities, e => Assert.NotEqual(default, e.ETag));
    }

    [Fact]
    public async Task Query_ResumedFromAContinuationToken_ReturnsTheRest()
    {
        for (var i = 0; i < 5; i++)
        {
            await Table.AddEntityAsync(new TableEntity("p", $"r{i}"));
        }

        var first = await Table.QueryAsync(maxPerPage: 2).AsPages().FirstAsync();
        var rest = await Table.QueryAsync(maxPerPage: 2).AsPages(first.ContinuationToken).ToListAsync();

        Assert.Equal(["r2", "r3", "r4"], rest.SelectMany(p => p.Values).Select(e => e.RowKey));
    }

    [Fact]
    public async Task Query_OverMoreThan1000Entities_ReturnsAllAcrossPages()
    {
        for (var batch = 0; batch < 11; batch++)
        {
            var count = batch == 10 ? 50 : 100;
            await Table.SubmitTransactionAsync(Enumerable.Range(0, count).Select(i =>
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity($"p{batch:D2}", $"r{i:D3}") { ["N"] = batch * 100 + i })));
        }

        var pages = await Table.QueryAsync().AsPages().ToListAsync();

        Assert.True(pages.Count >= 2, $"expected at least two pages, got {pages.Count}");
        Assert.All(pages, p => Assert.True(p.Values.Count <= 1000));
        var numbers = pages.SelectMany(p => p.Values).Select(e => e.GetInt32("N")!.Value).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 1050), numbers);
    }

    [Fact]
    public async Task Query_WithInjectedStringValue_MatchesNothing()
    {
        await Table.AddEntityAsync(new TableEntity("p", "r"));

        var hostile = "' or 1 eq 1 or '";
        var found = await AllAsync(TableFilter.Create($"RowKey eq {hostile}"));

        Assert.Empty(found);
        Assert.Single(await AllAsync(TableFilter.Create($"RowKey eq {"r"} or RowKey eq {hostile}")));
    }
}
