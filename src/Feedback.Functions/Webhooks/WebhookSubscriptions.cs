using Azure.Data.Tables;
using Feedback.Functions.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace Feedback.Functions.Webhooks;

/// <summary>Where a store's (or, under <see cref="WebhookEvents.ChainWide"/>, every store's) events go. One per key.</summary>
public sealed record WebhookSubscription(string Key, string Url, string Secret, IReadOnlyList<string> Events, DateTimeOffset UpdatedAt)
{
    public bool Wants(string eventType) => Events.Contains(eventType, StringComparer.Ordinal);

    public WebhookView ToView() => new(Key, Url, Events, UpdatedAt, null);
}

/// <summary>
/// Webhook subscriptions: PartitionKey = store id or "*", RowKey "". Point reads only. Events are published to what
/// this instance read of a key within <see cref="Lifetime"/> (two reads per event otherwise): a change applies to
/// later events here at once and everywhere within that time. Deliveries and the API read afresh.
/// </summary>
public sealed class WebhookSubscriptions(StorageAccount storage, IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private TableClient Table => storage.Table(TableNames.Webhooks);

    public async Task<WebhookSubscription?> GetAsync(string key, CancellationToken cancellationToken) =>
        await Table.FindAsync<WebhookSubscriptionEntity>(key, "", cancellationToken) is { } row ? ToSubscription(row) : null;

    /// <summary>The subscriptions an event of <paramref name="storeId"/> goes to: the store's own and the chain-wide one.</summary>
    public async Task<IReadOnlyList<WebhookSubscription>> ForStoreAsync(string storeId, string eventType, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(CachedAsync(storeId, cancellationToken), CachedAsync(WebhookEvents.ChainWide, cancellationToken));
        return [.. found.OfType<WebhookSubscription>().Where(s => s.Wants(eventType))];
    }

    private Task<WebhookSubscription?> CachedAsync(string key, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync((typeof(WebhookSubscriptions), key), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            return GetAsync(key, cancellationToken);
        });

    /// <summary>Creates or replaces; true when created.</summary>
    public async Task<bool> PutAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        var existed = await Table.FindAsync<WebhookSubscriptionEntity>(subscription.Key, "", cancellationToken) is not null;
        await Table.UpsertEntityAsync(ToEntity(subscription), TableUpdateMode.Replace, cancellationToken);
        cache.Set((typeof(WebhookSubscriptions), subscription.Key), subscription, Lifetime);
        return !existed;
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (await GetAsync(key, cancellationToken) is null)
        {
            return false;
        }

        await Table.DeleteEntityAsync(key, "", cancellationToken: cancellationToken);
        cache.Set((typeof(WebhookSubscriptions), key), (WebhookSubscription?)null, Lifetime);
        return true;
    }

    private static WebhookSubscriptionEntity ToEntity(WebhookSubscription s) => new()
    {
        PartitionKey = s.Key,
        Url = s.Url,
        Secret = s.Secret,
        Events = string.Join(',', s.Events),
        UpdatedAt = s.UpdatedAt,
    };

    private static WebhookSubscription ToSubscription(WebhookSubscriptionEntity e) => new(
        e.PartitionKey, e.Url, e.Secret, e.Events.Split(',', StringSplitOptions.RemoveEmptyEntries), e.UpdatedAt);
}

/// <summary>A row of the webhooks table.</summary>
public sealed class WebhookSubscriptionEntity : TableRow
{
    public string Url { get; set; } = "";

    public string Secret { get; set; } = "";

    /// <summary>Event types, comma-separated.</summary>
    public string Events { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}
