using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Feedback.Functions.Answers;

/// <summary>
/// This instance's last sight of the shared rows of store-day partitions (counter shards, cap shares, kiosk
/// claims) with their ETags, so an answer's transaction is conditioned on them without reading them first. A
/// stale sight only costs a failed transaction, after which the row is read again (<see cref="RefreshAsync"/>);
/// a row is never written without its ETag, so nothing is lost or counted twice.
/// </summary>
public sealed class StoreDayRows
{
    private const int MaxRows = 100_000;
    private readonly ConcurrentDictionary<(string Partition, string RowKey), TableEntity?> _seen = new();
    private readonly ConcurrentDictionary<(string Partition, string RowKey), int> _inUse = new();

    /// <summary>Whether this instance has seen the row, and the row (null: it did not exist).</summary>
    public bool TryGet(string partition, string rowKey, out TableEntity? row) => _seen.TryGetValue((partition, rowKey), out row);

    /// <summary>
    /// Marks the row as being written by a transaction of this instance; with <paramref name="onlyIfFree"/>, only when
    /// no other one is writing it (false otherwise). Each reservation is ended by <see cref="Release"/>.
    /// </summary>
    public bool Reserve(string partition, string rowKey, bool onlyIfFree)
    {
        if (onlyIfFree)
        {
            return _inUse.TryAdd((partition, rowKey), 1);
        }

        _inUse.AddOrUpdate((partition, rowKey), 1, (_, n) => n + 1);
        return true;
    }

    public void Release(string partition, string rowKey)
    {
        var key = (partition, rowKey);
        while (_inUse.TryGetValue(key, out var n))
        {
            if (n <= 1 ? _inUse.TryRemove(new KeyValuePair<(string, string), int>(key, n)) : _inUse.TryUpdate(key, n - 1, n))
            {
                return;
            }
        }
    }

    /// <summary>
    /// One of <paramref name="rowKeys"/>, reserved: tried from a random one on, the first this instance has seen and is
    /// not writing, else the first it has not seen and is not writing, else any. <paramref name="usable"/> (the row key
    /// and the row as seen, null when never seen or absent) rules rows out, e.g. a full cap share; null when it rules out all.
    /// </summary>
    public string? ReserveOne(string partition, IReadOnlyList<string> rowKeys, Func<string, TableEntity?, bool>? usable = null)
    {
        var start = Random.Shared.Next(rowKeys.Count);
        var candidates = Enumerable.Range(0, rowKeys.Count)
            .Select(i => rowKeys[(start + i) % rowKeys.Count])
            .Select(key => (Key: key, Seen: TryGet(partition, key, out var row), Row: row))
            .Where(c => usable is null || usable(c.Key, c.Row))
            .ToList();
        foreach (var seen in new[] { true, false })
        {
            foreach (var c in candidates.Where(c => c.Seen == seen))
            {
                if (Reserve(partition, c.Key, onlyIfFree: true))
                {
                    return c.Key;
                }
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        Reserve(partition, candidates[0].Key, onlyIfFree: false);
        return candidates[0].Key;
    }

    /// <summary>Remembers a row as just written (with the ETag storage answered), or forgets it when storage gave none.</summary>
    public void Written(TableEntity row, ETag? etag)
    {
        if (_seen.Count > MaxRows)
        {
            _seen.Clear();
        }

        if (etag is { } tag)
        {
            row.ETag = tag;
            _seen[(row.PartitionKey, row.RowKey)] = row;
        }
        else
        {
            _seen.TryRemove((row.PartitionKey, row.RowKey), out _);
        }
    }

    /// <summary>Reads the row again after a transaction found it other than remembered.</summary>
    public async Task RefreshAsync(TableClient table, string partition, string rowKey, CancellationToken cancellationToken) =>
        _seen[(partition, rowKey)] = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken) is { HasValue: true } found
            ? found.Value
            : null;

    /// <summary>
    /// A new row to write over what this instance saw of it (<paramref name="seen"/>: null when it saw nothing). It
    /// carries the ETag of that very sight, so storage refuses the write if anyone changed the row since, even a
    /// handler of this instance that shares the reservation: a value computed from a sight is never written over a
    /// newer one.
    /// </summary>
    public TableEntity Next(string partition, string rowKey, out TableEntity? seen)
    {
        TryGet(partition, rowKey, out seen);
        var row = new TableEntity(partition, rowKey);
        if (seen is not null)
        {
            // Set only when seen: a TableEntity given a default ETag no longer reads back as default.
            row.ETag = seen.ETag;
        }

        return row;
    }

    /// <summary>
    /// The action that writes a row made by <see cref="Next"/>: an insert when nothing was seen (or never looked:
    /// storage refuses it if the row exists), else a merge conditioned on the ETag seen.
    /// </summary>
    public static TableTransactionAction WriteAction(TableEntity row) =>
        row.ETag == default
            ? new TableTransactionAction(TableTransactionActionType.Add, row)
            : new TableTransactionAction(TableTransactionActionType.UpdateMerge, row, row.ETag);
}
