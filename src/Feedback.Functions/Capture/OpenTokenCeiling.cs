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
/// reached. Answers on one token in this instance take turns at its row (a striped gate), so they never race each
/// other for its ETag and the ceiling takes every answer under it however many arrive at once; only answers on other
/// instances can still win a race, which costs a re-read. Owns the opentokendays table: PartitionKey = store id,
/// RowKey = <c>{yyyy-MM-dd}.{token hash}</c>.
/// </summary>
public sealed class OpenTokenCeiling(StorageAccount storage, RateLimitOptions options)
{
    private const int Attempts = 5;

    private readonly SemaphoreSlim[] _gates = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    private TableClient Days => storage.Table(TableNames.OpenTokenDays);

    /// <summary>Counts one answer; null when it fits under the ceiling, otherwise the refusal (429 with its wait).</summary>
    public async Task<Refusal?> TryCountAsync(string storeId, string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var hash = Hash(token);
        var gate = _gates[Convert.ToInt32(hash[..2], 16)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await CountAsync(storeId, $"{day:yyyy-MM-dd}.{hash}", day, now, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Refusal?> CountAsync(string storeId, string rowKey, DateOnly day, DateTimeOffset now, CancellationToken cancellationToken)
    {
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
                    return new Refusal(StatusCodes.Status429TooManyRequests,
                        $"This QR code has taken its {options.OpenTokenPerDay} answers for today; try again tomorrow.",
                        new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - now);
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

        // Still losing to other instances after several tries: so many answers at once on one token is a flood.
        return new Refusal(StatusCodes.Status429TooManyRequests, "Too many answers with this QR code at once; try again shortly.", TimeSpan.FromSeconds(1));
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
