using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Storage;

public static class TableExtensions
{
    /// <summary>A point read: the entity, or null when the table has none with these keys.</summary>
    public static async Task<T?> FindAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }
}
