using Feedback.IntegrationTests.Infrastructure;
using Feedback.Storage;
using Feedback.Storage.Tables;

namespace Feedback.IntegrationTests.Storage;

/// <summary>Gives each test its own table in the shared Azurite, deleted afterwards.</summary>
public abstract class TableTestBase(AzuriteFixture azurite) : IAsyncLifetime
{
    protected AzuriteFixture Azurite { get; } = azurite;

    protected TableClient Table { get; private set; } = null!;

    protected TableClient NewClient(string name, StorageClientOptions? options = null) => new(Azurite.ConnectionString, name, options);

    public async Task InitializeAsync()
    {
        Table = NewClient(AzuriteFixture.UniqueName("t"));
        await Table.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await Table.DeleteAsync();

    protected async Task<List<TableEntity>> AllAsync(string? filter = null) => await Table.QueryAsync(filter).ToListAsync();
}
