using Azure.Data.Tables;
using Feedback.Functions.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace Feedback.Functions.FollowUp;

/// <summary>
/// A store's own contact deadline, in the followup table (PartitionKey = store id, RowKey "policy"). Cases are opened
/// with what this instance read of it within <see cref="Lifetime"/>: a change applies to later cases here at once and
/// everywhere within that time. <see cref="ReadDeadlineAsync"/> reads it afresh, for the store's own settings page.
/// </summary>
public sealed class FollowUpPolicies(StorageAccount storage, FollowUpOptions options, IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private const string RowKey = "policy";

    private TableClient Table => storage.Table(TableNames.FollowUp);

    public async Task<TimeSpan> DeadlineAsync(string storeId, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync((typeof(FollowUpPolicies), storeId), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            return ReadDeadlineAsync(storeId, cancellationToken);
        });

    public async Task<TimeSpan> ReadDeadlineAsync(string storeId, CancellationToken cancellationToken) =>
        await Table.FindAsync<FollowUpPolicyEntity>(storeId, RowKey, cancellationToken) is { DeadlineHours: { } hours }
            ? TimeSpan.FromHours(hours)
            : options.DefaultDeadline;

    public async Task SetDeadlineAsync(string storeId, int hours, CancellationToken cancellationToken)
    {
        await Table.UpsertEntityAsync(
            new FollowUpPolicyEntity { PartitionKey = storeId, RowKey = RowKey, DeadlineHours = hours }, TableUpdateMode.Replace, cancellationToken);
        cache.Set((typeof(FollowUpPolicies), storeId), TimeSpan.FromHours(hours), Lifetime);
    }
}

/// <summary>A store's policy row in the followup table.</summary>
public sealed class FollowUpPolicyEntity : TableRow
{
    /// <summary>Null (not stored) means the app's default deadline.</summary>
    public int? DeadlineHours { get; set; }
}
