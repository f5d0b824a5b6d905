using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Capture;

/// <summary>
/// A daily ceiling per open (non-receipt) QR token, shared by every instance: a photographed poster takes at most
/// <see cref="RateLimitOptions.OpenTokenPerDay"/> answers a UTC day however far the app scales out. One counter row
/// per token and day, read and then written under its ETag: one storage write per answer, none once the ceiling is
/// reached. Owns the opentokendays table: PartitionKey = store id, RowKey = <c>{yyyy-MM-dd}.{token hash}</c>.
/// </summary>
public sealed class OpenTokenCeiling(StorageAccount storage, RateLimitOptions options)
{
    private const int Attempts = 5;

    private TableClient Days => storage.Table(TableNames.OpenTokenDays);

    public int PerDay => options.OpenTokenPerDay;

    /// <summary>Counts one answer; null when it fits under the ceiling, otherwise how long until the next day.</summary>
    public async Task<TimeSpan?> TryCountAsync(string storeId, string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var rowKey = $"{day:yyyy-MM-dd}.{Hash(token)}";
        var untilTomorrow = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - now;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            try
            {
                if (await Days.FindAsync<OpenTokenDayEntity>(storeId, rowKey, cancellationToken) is not { } row)
                {
                    await Days.AddEntityAsync(new OpenTokenDayEntity { PartitionKey = storeId, RowKey = rowKey, Answers = 1 }, cancellationToken);
                    return null;
                }

                if (row.Answers >= options.OpenTokenPerDay)
                {
                    return untilTomorrow;
                }

                row.Answers++;
                await Days.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another answer with this token counted first: read again.
            }
        }

        // Still losing the race after several tries: so many answers at once on one token is the flood this stops.
        return TimeSpan.FromSeconds(1);
    }

    /// <summary>Deletes the counters of days before <paramref name="today"/> (UTC): a ceiling only ever reads its own day. Returns how many.</summary>
    public async Task<int> ForgetPastDaysAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var past = TableClient.CreateQueryFilter($"RowKey lt {today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}");
        await foreach (var row in Days.QueryAsync<OpenTokenDayEntity>(past, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await Days.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            deleted++;
        }

        return deleted;
    }

    /// <summary>The token itself never becomes a key: a short hash of it names its counter.</summary>
    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)).AsSpan(0, 16));
}

/// <summary>A row of the opentokendays table: answers taken with one open token on one UTC day.</summary>
public sealed class OpenTokenDayEntity : TableRow
{
    public int Answers { get; set; }
}
