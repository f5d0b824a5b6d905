using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Feedback.IntegrationTests.Storage;

/// <summary>
/// The SDK and Azurite behaviours the app relies on, pinned through the app's own client registration
/// (<see cref="StorageRegistration.AddStorage"/>): if an SDK or emulator upgrade changes one, this fails first.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageFactsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly StorageAccount _storage = new ServiceCollection().AddLogging()
        .AddStorage(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString }).Build())
        .BuildServiceProvider().GetRequiredService<StorageAccount>();

    private readonly string _name = AzuriteFixture.UniqueName("facts");

    private TableClient Table => _storage.Table(_name);

    public async Task InitializeAsync() => await Table.CreateIfNotExistsAsync();

    public async Task DisposeAsync()
    {
        await Table.DeleteAsync();
        await _storage.Queue(_name).DeleteIfExistsAsync();
    }

    [Fact]
    public async Task MissingEntity_IsNull_NotAnException()
    {
        Assert.Null(await Table.FindAsync<TableEntity>("p", "missing", CancellationToken.None));
        var response = await Table.GetEntityIfExistsAsync<TableEntity>("p", "missing");
        Assert.False(response.HasValue);
    }

    [Fact]
    public async Task TypedProperties_ReadBackWithTheirEdmTypes_AndInt32IsNotReadableAsInt64()
    {
        var at = new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
        await Table.AddEntityAsync(new TableEntity("p", "types") { ["Small"] = 5, ["Big"] = 5L, ["At"] = at, ["Flag"] = true, ["Text"] = "Dobrý den" });

        TableEntity row = await Table.GetEntityAsync<TableEntity>("p", "types");

        Assert.IsType<int>(row["Small"]);
        Assert.IsType<long>(row["Big"]);
        Assert.Equal(at, row.GetDateTimeOffset("At"));
        Assert.True(row.GetBoolean("Flag"));
        Assert.Equal("Dobrý den", row.GetString("Text"));
        Assert.Throws<InvalidOperationException>(() => row.GetInt64("Small"));
    }

    [Fact]
    public async Task FilterValues_AreEscaped_SoUserDataCannotChangeAQuery()
    {
        await Table.AddEntityAsync(new TableEntity("store-a", "1"));
        await Table.AddEntityAsync(new TableEntity("store-b", "1"));
        var hostile = "store-a' or PartitionKey ne '";

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {hostile}");
        var rows = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        Assert.Equal("PartitionKey eq 'store-a'' or PartitionKey ne '''", filter);
        Assert.Empty(rows);
    }

    [Fact]
    public async Task FailedTransaction_WritesNothing_AndNamesTheFailedAction()
    {
        await Table.AddEntityAsync(new TableEntity("p", "taken"));

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "new")),
            new(TableTransactionActionType.Add, new TableEntity("p", "taken")),
        ]));

        Assert.Equal(1, error.FailedTransactionActionIndex);
        Assert.Equal(409, error.Status);
        Assert.Null(await Table.FindAsync<TableEntity>("p", "new", CancellationToken.None));
    }

    /// <summary>
    /// What a refused transaction says, which ProcessFeedback's retry decides on: a row added twice is 409, a row
    /// written over a stale ETag 412, a merge whose row is gone 404, each naming its action; a malformed action (here
    /// a key storage does not accept) is 400, which no retry can fix. Nothing of any of them is written.
    /// </summary>
    [Theory]
    [InlineData("added again", 409)]
    [InlineData("stale", 412)]
    [InlineData("gone", 404)]
    [InlineData("malformed", 400)]
    public async Task RefusedTransaction_SaysWhyWithItsStatus_AndNamesTheAction(string refusal, int status)
    {
        var seen = await Table.AddEntityAsync(new TableEntity("p", "shared") { ["N"] = 1 });
        await Table.UpdateEntityAsync(new TableEntity("p", "shared") { ["N"] = 2 }, seen.Headers.ETag!.Value, TableUpdateMode.Replace);
        var refused = refusal switch
        {
            "added again" => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "shared")),
            "stale" => new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity("p", "shared") { ["N"] = 3 }, seen.Headers.ETag!.Value),
            "gone" => new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity("p", "missing") { ["N"] = 3 }, seen.Headers.ETag!.Value),
            _ => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "bad#key")),
        };

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => Table.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p", "new")), new(TableTransactionActionType.Add, new TableEntity("p", "also-new")), refused]));

        Assert.Equal((status, (int?)2), (error.Status, error.FailedTransactionActionIndex));
        Assert.Null(await Table.FindAsync<TableEntity>("p", "new", CancellationToken.None));
    }

    [Fact]
    public async Task StaleETag_IsRefusedWith412()
    {
        var added = await Table.AddEntityAsync(new TableEntity("p", "v") { ["N"] = 1 });
        await Table.UpdateEntityAsync(new TableEntity("p", "v") { ["N"] = 2 }, added.Headers.ETag!.Value, TableUpdateMode.Replace);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Table.UpdateEntityAsync(new TableEntity("p", "v") { ["N"] = 3 }, added.Headers.ETag!.Value, TableUpdateMode.Replace));

        Assert.Equal(412, error.Status);
    }

    [Fact]
    public async Task QueueMessages_AreBase64OnTheWire_AsTheQueueTriggerDecodes()
    {
        var queue = _storage.Queue(_name);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("{\"comment\":\"čaj <&>\"}");

        var raw = new QueueClient(azurite.ConnectionString, _name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var peeked = Assert.Single((await raw.PeekMessagesAsync()).Value);

        Assert.Equal("{\"comment\":\"čaj <&>\"}", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(peeked.Body.ToString())));
    }

    /// <summary>
    /// Entity group transactions are atomic and isolated under concurrency: of many transactions that each add their
    /// own row and one of a few shared rows (half of them also failing on a last action, so they roll back), at most
    /// one per shared row commits, and a rolled-back one leaves nothing behind, not even over another's commit.
    /// The daily cap's shares rely on this.
    /// </summary>
    [Fact]
    public async Task ConcurrentTransactions_OnSharedRows_CommitAtMostOncePerRow_AndRollBackWhole()
    {
        await Table.AddEntityAsync(new TableEntity("p", "exists"));
        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            List<TableTransactionAction> actions =
            [
                new(TableTransactionActionType.Add, new TableEntity("p", $"a.{i:D2}") { ["Shared"] = $"s.{i % 4}" }),
                new(TableTransactionActionType.Add, new TableEntity("p", $"s.{i % 4}") { ["By"] = i }),
            ];
            if (i % 2 == 1)
            {
                actions.Add(new(TableTransactionActionType.Add, new TableEntity("p", "exists")));
            }

            try
            {
                await Table.SubmitTransactionAsync(actions);
                return i;
            }
            catch (TableTransactionFailedException)
            {
                return -1;
            }
        }));

        var committed = results.Where(i => i >= 0).ToList();
        var rows = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"p"}")))
        {
            rows.Add(row);
        }

        Assert.All(committed, i => Assert.Equal(0, i % 2));
        Assert.Equal(committed.Count, committed.Select(i => i % 4).Distinct().Count());
        Assert.Equal(committed.Select(i => $"a.{i:D2}").Order(), rows.Where(r => r.RowKey.StartsWith("a.", StringComparison.Ordinal)).Select(r => r.RowKey).Order());
        Assert.Equal(committed.Select(i => $"s.{i % 4}").Order(), rows.Where(r => r.RowKey.StartsWith("s.", StringComparison.Ordinal)).Select(r => r.RowKey).Order());
        Assert.All(rows.Where(r => r.RowKey.StartsWith("s.", StringComparison.Ordinal)), r => Assert.Contains(r.GetInt32("By")!.Value, committed));
    }

    /// <summary>A TableEntity given a default ETag no longer reads it back as default (so "nothing seen" must leave it unset).</summary>
    [Fact]
    public void EntityGivenADefaultETag_DoesNotReadBackAsDefault()
    {
        Assert.Equal(default, new TableEntity("p", "r").ETag);
        Assert.NotEqual(default, new TableEntity("p", "r") { ETag = default }.ETag);
    }
}
