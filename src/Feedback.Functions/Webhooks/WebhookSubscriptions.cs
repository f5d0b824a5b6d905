using Feedback.Functions.Storage;
using Azure.Data.Tables;

namespace Feedback.Functions.Webhooks;

/// <summary>Where a store's (or, under <see cref="WebhookEvents.ChainWide"/>, every store's) events go. One per key.</summary>
public sealed record WebhookSubscription(string Key, string Url, string Secret, IReadOnlyList<string> Events, DateTimeOffset UpdatedAt)
{
    public bool Wants(string eventType) => Events.Contains(eventType, StringComparer.Ordinal);

    public WebhookView ToView() => new(Key, Url, Events, UpdatedAt, null);

    public TableEntity ToEntity() => new(Key, "")
    {
        ["Url"] = Url,
        ["Secret"] = Secret,
        ["Events"] = string.Join(',', Events),
        ["UpdatedAt"] = UpdatedAt,
    };

    public static WebhookSubscription FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("Url") ?? "",
        e.GetString("Secret") ?? "",
        (e.GetString("Events") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        e.GetDateTimeOffset("UpdatedAt") ?? default);
}

/// <summary>Webhook subscriptions: PartitionKey = store id or "*", RowKey "". Point reads only.</summary>
public sealed class WebhookSubscriptions(StorageAccount storage)
{
    private TableClient Table => storage.Table(TableNames.Webhooks);

    public async Task<WebhookSubscription?> GetAsync(string key, CancellationToken cancellationToken) =>
        await Table.FindAsync<TableEntity>(key, "", cancellationToken) is { } e ? WebhookSubscription.FromEntity(e) : null;

    /// <summary>The subscriptions an event of <paramref name="storeId"/> goes to: the store's own and the chain-wide one.</summary>
    public async Task<IReadOnlyList<WebhookSubscription>> ForStoreAsync(string storeId, string eventType, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(GetAsync(storeId, cancellationToken), GetAsync(WebhookEvents.ChainWide, cancellationToken));
        return [.. found.OfType<WebhookSubscription>().Where(s => s.Wants(eventType))];
    }

    /// <summary>Creates or replaces; true when created.</summary>
    public async Task<bool> PutAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        var existed = await Table.FindAsync<TableEntity>(subscription.Key, "", cancellationToken) is not null;
        await Table.UpsertEntityAsync(subscription.ToEntity(), TableUpdateMode.Replace, cancellationToken);
        return !existed;
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (await GetAsync(key, cancellationToken) is null)
        {
            return false;
        }

        await Table.DeleteEntityAsync(key, "", cancellationToken: cancellationToken);
        return true;
    }
}
