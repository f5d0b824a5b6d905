using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Capture;

/// <summary>
/// A daily ceiling per open (non-receipt) QR token, shared by every instance: a photographed poster takes at most
/// <see cref="RateLimitOptions.OpenTokenPerDay"/> answers a UTC day however far the app scales out. One counter row
/// per token and day holds the answers instances have reserved, written under its ETag, so together they never
/// reserve more than the ceiling. An instance reserves one answer at a time, and a block of up to
/// <see cref="MaxBlock"/> while a token is busy (each block twice the last when the last lasted under
/// <see cref="Busy"/>), and spends the block from memory: a busy poster costs one storage write per block, not per
/// answer. Answers on one token in this instance take turns at its block (a striped gate), so they never race each
/// other for the row's ETag; only other instances can win a race, which costs a re-read. An instance that stops
/// leaves its unspent block untaken for that day (at most <see cref="MaxBlock"/> − 1 answers). Owns the
/// opentokendays table: PartitionKey = store id, RowKey = <c>{yyyy-MM-dd}.{token hash}</c>.
/// </summary>
public sealed class OpenTokenCeiling(StorageAccount storage, RateLimitOptions options)
{
    public const int MaxBlock = 16;

    public static readonly TimeSpan Busy = TimeSpan.FromSeconds(10);

    private const int Attempts = 5;

    private readonly SemaphoreSlim[] _gates = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    private readonly ConcurrentDictionary<(string Store, string RowKey), Block> _blocks = new();

    private readonly Lock _rollover = new();

    private DateOnly _today;

    private TableClient Days => storage.Table(TableNames.OpenTokenDays);

    /// <summary>Counts one answer; null when it fits under the ceiling, otherwise the refusal (429 with its wait).</summary>
    public async Task<Refusal?> TryCountAsync(string storeId, string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (gate, block) = BlockOf(storeId, token, now);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (block.Left > 0)
            {
                block.Left--;
                return null;
            }

            return await ReserveAsync(storeId, block, now, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Returns an answer counted by <see cref="TryCountAsync"/> that turned out to be a retry of one counted before.</summary>
    public async Task GiveBackAsync(string storeId, string token, DateTimeOffset now)
    {
        var hash = Hash(token);
        if (!_blocks.TryGetValue((storeId, RowKeyPrefix(DateOnly.FromDateTime(now.UtcDateTime)) + hash), out var block))
        {
            return; // Its day's blocks are gone: the unit stays reserved, never spent twice.
        }

        var gate = _gates[Convert.ToInt32(hash[..2], 16)];
        await gate.WaitAsync(CancellationToken.None);
        block.Left++;
        gate.Release();
    }

    private (SemaphoreSlim Gate, Block Block) BlockOf(string storeId, string token, DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        if (day > _today)
        {
            // A ceiling only ever counts its own day: past days' blocks are dropped, once, when the first answer of a
            // new day comes (one that began before midnight and arrives late never turns the day back).
            lock (_rollover)
            {
                if (day > _today)
                {
                    _today = day;
                    var current = RowKeyPrefix(day);
                    foreach (var key in _blocks.Keys.Where(k => string.CompareOrdinal(k.RowKey, current) < 0))
                    {
                        _blocks.TryRemove(key, out _);
                    }
                }
            }
        }

        var hash = Hash(token);
        return (_gates[Convert.ToInt32(hash[..2], 16)], _blocks.GetOrAdd((storeId, RowKeyPrefix(day) + hash), key => new Block(key.RowKey, day)));
    }

    private async Task<Refusal?> ReserveAsync(string storeId, Block block, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var size = block.ReservedAt is { } last && now - last < Busy ? Math.Min(block.Size * 2, MaxBlock) : 1;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            try
            {
                // This instance's last sight of the row, if it has one; rows only grow, so a full one stays full.
                var row = block.Row ?? await Days.FindAsync<OpenTokenDayEntity>(storeId, block.RowKey, cancellationToken);
                var left = options.OpenTokenPerDay - (row?.Answers ?? 0);
                if (left <= 0)
                {
                    block.Row = row;
                    return new Refusal(StatusCodes.Status429TooManyRequests,
                        $"This QR code has taken its {options.OpenTokenPerDay} answers for today; try again tomorrow.",
                        new DateTimeOffset(block.Day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - now);
                }

                var taken = Math.Min(size, left);
                var next = new OpenTokenDayEntity { PartitionKey = storeId, RowKey = block.RowKey, Answers = (row?.Answers ?? 0) + taken };
                var response = row is null
                    ? await Days.AddEntityAsync(next, cancellationToken)
                    : await Days.UpdateEntityAsync(next, row.ETag, TableUpdateMode.Replace, cancellationToken);
                next.ETag = response.Headers.ETag ?? default;
                (block.Row, block.Size, block.Left, block.ReservedAt) = (next, taken, taken - 1, now);
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance reserved first: read again.
                block.Row = null;
            }
        }

        // Still losing to other instances after several tries: so many answers at once on one token is a flood.
        return new Refusal(StatusCodes.Status429TooManyRequests, "Too many answers with this QR code at once; try again shortly.", TimeSpan.FromSeconds(1));
    }

    /// <summary>Deletes the counters of days before <paramref name="today"/> (UTC): a ceiling only ever reads its own day. Returns how many.</summary>
    public async Task<int> ForgetPastDaysAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var past = TableClient.CreateQueryFilter($"RowKey lt {today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        await foreach (var row in Days.QueryAsync<OpenTokenDayEntity>(past, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await Days.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            deleted++;
        }

        return deleted;
    }

    private static string RowKeyPrefix(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".";

    /// <summary>The token itself never becomes a key: a short hash of it names its counter.</summary>
    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)).AsSpan(0, 16));

    /// <summary>What this instance holds of one token's day: its last sight of the row, and the reserved answers not yet spent.</summary>
    private sealed class Block(string rowKey, DateOnly day)
    {
        public string RowKey { get; } = rowKey;

        public DateOnly Day { get; } = day;

        public OpenTokenDayEntity? Row { get; set; }

        public int Size { get; set; }

        public int Left { get; set; }

        public DateTimeOffset? ReservedAt { get; set; }
    }
}

/// <summary>A row of the opentokendays table: answers reserved by instances with one open token on one UTC day.</summary>
public sealed class OpenTokenDayEntity : TableRow
{
    public int Answers { get; set; }
}
