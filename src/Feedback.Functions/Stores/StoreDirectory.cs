using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Configuration;
using Feedback.Functions.Storage;
using Feedback.Functions.Tokens;

namespace Feedback.Functions.Stores;

/// <summary>
/// Stores, devices and QR signing keys: point reads only, so every request path stays O(1).
/// Owns the stores table (PartitionKey = store id, RowKey "") and the devices table (PartitionKey = device id, RowKey "").
/// </summary>
public sealed class StoreDirectory(StorageAccount storage, TokenOptions tokens)
{
    private TableClient Stores => storage.Table(TableNames.Stores);

    private TableClient Devices => storage.Table(TableNames.Devices);

    public async Task<Store?> GetStoreAsync(string storeId, CancellationToken cancellationToken) =>
        await Stores.FindAsync<StoreEntity>(storeId, "", cancellationToken) is { } row ? ToStore(row) : null;

    /// <summary>Creates or replaces a store; true when it was created.</summary>
    public async Task<bool> PutStoreAsync(Store store, CancellationToken cancellationToken)
    {
        try
        {
            await Stores.AddEntityAsync(ToEntity(store), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            await Stores.UpsertEntityAsync(ToEntity(store), TableUpdateMode.Replace, cancellationToken);
            return false;
        }
    }

    public async Task<DeviceCreated> EnrollDeviceAsync(string storeId, string name, DeviceKind kind, CancellationToken cancellationToken)
    {
        var deviceId = "d" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        await Devices.AddEntityAsync(ToEntity(new Device(deviceId, storeId, name, kind, Hash(secret), null)), cancellationToken);
        return new DeviceCreated(deviceId, deviceId + "." + secret, kind.ToString().ToLowerInvariant());
    }

    /// <summary>Revokes a device of the store; false when the store has no such device.</summary>
    public async Task<bool> RevokeDeviceAsync(string storeId, string deviceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Ids.IsDeviceId(deviceId) || await Devices.FindAsync<DeviceEntity>(deviceId, "", cancellationToken) is not { } row)
        {
            return false;
        }

        var device = ToDevice(row);
        if (device.StoreId != storeId)
        {
            return false;
        }

        if (device.RevokedAt is null)
        {
            await Devices.UpsertEntityAsync(ToEntity(device with { RevokedAt = now }), TableUpdateMode.Replace, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// A store's devices, revoked ones included. Admin and scheduled paths only: the devices table is
    /// keyed by device, so this is a filtered scan.
    /// </summary>
    public async Task<IReadOnlyList<Device>> ListDevicesAsync(string storeId, CancellationToken cancellationToken)
    {
        var devices = new List<Device>();
        await foreach (var row in Devices.QueryAsync<DeviceEntity>(TableClient.CreateQueryFilter($"StoreId eq {storeId}"), cancellationToken: cancellationToken))
        {
            devices.Add(ToDevice(row));
        }

        return devices;
    }

    /// <summary>The active device a key belongs to, or null for an unknown, wrong or revoked key.</summary>
    public async Task<Device?> AuthenticateDeviceAsync(string? deviceKey, CancellationToken cancellationToken)
    {
        var dot = deviceKey?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (deviceKey is null || dot <= 0 || deviceKey.Length > 128 || !Ids.IsDeviceId(deviceKey[..dot]))
        {
            return null;
        }

        if (await Devices.FindAsync<DeviceEntity>(deviceKey[..dot], "", cancellationToken) is not { } row)
        {
            return null;
        }

        var device = ToDevice(row);
        var matches = CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(deviceKey[(dot + 1)..])), Encoding.ASCII.GetBytes(device.KeyHash));
        return matches && device.RevokedAt is null ? device : null;
    }

    /// <summary>
    /// A store's QR signing key for a key id: HMAC-SHA256(master key, "qr-store-key:" + store id).
    /// A POS holding its store's key can mint receipt tokens offline and cannot mint another store's.
    /// </summary>
    public byte[]? StoreKey(string storeId, string keyId) =>
        tokens.Key(keyId) is { } master ? HMACSHA256.HashData(master, Encoding.UTF8.GetBytes("qr-store-key:" + storeId)) : null;

    /// <summary>
    /// A till's own QR signing key: HMAC-SHA256(store key, "qr-device-key:" + device id). Derived, so nothing
    /// more is stored; revoking the device makes the tokens it signs refused, and the store's posters stay valid.
    /// </summary>
    public byte[]? DeviceKey(string storeId, string keyId, string deviceId) =>
        StoreKey(storeId, keyId) is { } storeKey ? HMACSHA256.HashData(storeKey, Encoding.UTF8.GetBytes("qr-device-key:" + deviceId)) : null;

    /// <summary>The key a token names: its device's when a till minted it, else the store's.</summary>
    public byte[]? SigningKey(string storeId, string keyId, string? deviceId) =>
        deviceId is null ? StoreKey(storeId, keyId) : DeviceKey(storeId, keyId, deviceId);

    /// <summary>
    /// Verifies a QR token. A till's token also needs its device to be an active till of the token's store:
    /// one point read, made only once the signature holds, so forged input costs no storage call.
    /// </summary>
    public async Task<(QrTokenFailure Failure, QrTokenClaims? Claims)> VerifyTokenAsync(string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failure = QrToken.TryVerify(token, SigningKey, now, out var claims);
        if (failure != QrTokenFailure.None || claims!.DeviceId is not { } deviceId)
        {
            return (failure, claims);
        }

        var row = await Devices.FindAsync<DeviceEntity>(deviceId, "", cancellationToken);
        return row is not null && ToDevice(row) is { RevokedAt: null, Kind: DeviceKind.Pos } device && device.StoreId == claims.StoreId
            ? (QrTokenFailure.None, claims)
            : (QrTokenFailure.RevokedDevice, null);
    }

    private static StoreEntity ToEntity(Store store) => new()
    {
        PartitionKey = store.Id,
        Name = store.Name,
        Region = store.Region,
        TimeZone = store.TimeZone,
        Languages = string.Join(',', store.Languages),
        Reward = store.RewardJson,
    };

    private static Store ToStore(StoreEntity e) => new(
        e.PartitionKey,
        e.Name,
        e.Region,
        e.TimeZone ?? "UTC",
        (e.Languages ?? "en").Split(',', StringSplitOptions.RemoveEmptyEntries),
        e.Reward);

    private static DeviceEntity ToEntity(Device device) => new()
    {
        PartitionKey = device.Id,
        StoreId = device.StoreId,
        Name = device.Name,
        Kind = device.Kind.ToString().ToLowerInvariant(),
        KeyHash = device.KeyHash,
        RevokedAt = device.RevokedAt,
    };

    private static Device ToDevice(DeviceEntity e) => new(
        e.PartitionKey,
        e.StoreId,
        e.Name,
        Enum.TryParse<DeviceKind>(e.Kind, ignoreCase: true, out var kind) ? kind : DeviceKind.Kiosk,
        e.KeyHash,
        e.RevokedAt);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}

/// <summary>A row of the stores table. Missing columns read as the defaults the app has always used.</summary>
public sealed class StoreEntity : TableRow
{
    public string Name { get; set; } = "";

    public string Region { get; set; } = "";

    public string? TimeZone { get; set; }

    /// <summary>Language codes, comma-separated.</summary>
    public string? Languages { get; set; }

    /// <summary>The reward campaign, as JSON.</summary>
    public string? Reward { get; set; }
}

/// <summary>A row of the devices table.</summary>
public sealed class DeviceEntity : TableRow
{
    public string StoreId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The <see cref="DeviceKind"/>, lowercase.</summary>
    public string? Kind { get; set; }

    /// <summary>SHA-256 of the device secret, lowercase hex.</summary>
    public string KeyHash { get; set; } = "";

    public DateTimeOffset? RevokedAt { get; set; }
}
