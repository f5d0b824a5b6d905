using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Devices;

/// <summary>
/// Owns the devicehealth table. PartitionKey = store id; per device two rows: <c>h.{deviceId}</c>, the
/// latest heartbeat (written only by heartbeats), and <c>s.{deviceId}</c>, what the webhooks were last
/// told (written only by CheckDevices). Separate rows keep a heartbeat from ever racing the job's ETags.
/// </summary>
public sealed class DeviceHealthTable(StorageAccount storage)
{
    private TableClient Table => storage.Table(TableNames.DeviceHealth);

    public Task RecordHeartbeatAsync(string storeId, string deviceId, DateTimeOffset at, HeartbeatRequest beat, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new HeartbeatEntity
            {
                PartitionKey = storeId,
                RowKey = HeartbeatKey(deviceId),
                LastSeenAt = at,
                AppVersion = beat.AppVersion,
                Queued = beat.Queued ?? 0,
                LastError = beat.LastError,
            },
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>A store's heartbeats by device id: one partition query.</summary>
    public async Task<IReadOnlyDictionary<string, HeartbeatEntity>> HeartbeatsAsync(string storeId, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, HeartbeatEntity>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey ge {"h."} and RowKey lt {"h/"}");
        await foreach (var row in Table.QueryAsync<HeartbeatEntity>(filter, cancellationToken: cancellationToken))
        {
            found[DeviceIdOf(row.RowKey)] = row;
        }

        return found;
    }

    /// <summary>Every device's heartbeat and reported state, store by store: what the scheduled check walks through.</summary>
    public async IAsyncEnumerable<(string StoreId, string DeviceId, HeartbeatEntity Heartbeat, DeviceStateEntity? State)> AllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? partition = null;
        var heartbeats = new Dictionary<string, HeartbeatEntity>(StringComparer.Ordinal);
        var states = new Dictionary<string, DeviceStateEntity>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (row.PartitionKey != partition)
            {
                foreach (var item in Pair(partition, heartbeats, states))
                {
                    yield return item;
                }

                (partition, heartbeats, states) = (row.PartitionKey, new(StringComparer.Ordinal), new(StringComparer.Ordinal));
            }

            if (row.RowKey.StartsWith("h.", StringComparison.Ordinal))
            {
                heartbeats[DeviceIdOf(row.RowKey)] = ToHeartbeat(row);
            }
            else if (row.RowKey.StartsWith("s.", StringComparison.Ordinal))
            {
                states[DeviceIdOf(row.RowKey)] = ToState(row);
            }
        }

        foreach (var item in Pair(partition, heartbeats, states))
        {
            yield return item;
        }
    }

    /// <summary>Records a state change; false when another run changed the row first (that run carries on with it).</summary>
    public async Task<bool> TryWriteStateAsync(string storeId, string deviceId, DeviceStateEntity state, ETag? current, CancellationToken cancellationToken)
    {
        state.PartitionKey = storeId;
        state.RowKey = StateKey(deviceId);
        try
        {
            var response = current is { } etag
                ? await Table.UpdateEntityAsync(state, etag, TableUpdateMode.Replace, cancellationToken)
                : await Table.AddEntityAsync(state, cancellationToken);
            state.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private static IEnumerable<(string, string, HeartbeatEntity, DeviceStateEntity?)> Pair(
        string? storeId, Dictionary<string, HeartbeatEntity> heartbeats, Dictionary<string, DeviceStateEntity> states) =>
        storeId is null ? [] : heartbeats.Select(h => (storeId, h.Key, h.Value, states.GetValueOrDefault(h.Key)));

    private static string HeartbeatKey(string deviceId) => "h." + deviceId;

    private static string StateKey(string deviceId) => "s." + deviceId;

    private static string DeviceIdOf(string rowKey) => rowKey[2..];

    private static HeartbeatEntity ToHeartbeat(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        ETag = row.ETag,
        LastSeenAt = row.GetDateTimeOffset(nameof(HeartbeatEntity.LastSeenAt)) ?? default,
        AppVersion = row.GetString(nameof(HeartbeatEntity.AppVersion)),
        Queued = row.GetInt32(nameof(HeartbeatEntity.Queued)) ?? 0,
        LastError = row.GetString(nameof(HeartbeatEntity.LastError)),
    };

    private static DeviceStateEntity ToState(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        ETag = row.ETag,
        State = row.GetString(nameof(DeviceStateEntity.State)) ?? DeviceStateEntity.Online,
        LastSeenAt = row.GetDateTimeOffset(nameof(DeviceStateEntity.LastSeenAt)) ?? default,
        DetectedAt = row.GetDateTimeOffset(nameof(DeviceStateEntity.DetectedAt)) ?? default,
        Published = row.GetBoolean(nameof(DeviceStateEntity.Published)) ?? false,
    };
}

/// <summary>A device's latest heartbeat.</summary>
public sealed class HeartbeatEntity : TableRow
{
    public DateTimeOffset LastSeenAt { get; set; }

    public string? AppVersion { get; set; }

    public int Queued { get; set; }

    public string? LastError { get; set; }
}

/// <summary>
/// What the webhooks were last told about a device: <see cref="Online"/> or <see cref="Offline"/>, the
/// heartbeat the offline spell started after, and whether that event has been handed to the publisher.
/// The decision is recorded before the event is published, so a crash in between republishes it (under the same webhook id).
/// </summary>
public sealed class DeviceStateEntity : TableRow
{
    public const string Online = "online";
    public const string Offline = "offline";

    public string State { get; set; } = Online;

    /// <summary>The last heartbeat before the device fell silent: names the offline spell in both of its events.</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset DetectedAt { get; set; }

    public bool Published { get; set; }
}
