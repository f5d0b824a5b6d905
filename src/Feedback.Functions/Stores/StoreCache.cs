using Microsoft.Extensions.Caching.Memory;

namespace Feedback.Functions.Stores;

/// <summary>
/// Stores change rarely and are read on every token answer, so they are cached briefly. Devices are
/// not cached: a revoked key must fail at once.
/// </summary>
public sealed class StoreCache(StoreDirectory directory, IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async Task<Store?> GetAsync(string storeId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(("store", storeId), out Store? store))
        {
            return store;
        }

        store = await directory.GetStoreAsync(storeId, cancellationToken);
        if (store is not null)
        {
            cache.Set(("store", storeId), store, Lifetime);
        }

        return store;
    }

    public void Forget(string storeId) => cache.Remove(("store", storeId));
}
