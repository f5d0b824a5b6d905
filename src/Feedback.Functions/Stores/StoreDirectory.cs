using System.Security.Cryptography;
using System.Text;
using Feedback.Functions.Configuration;
using Feedback.Functions.Storage;
using Azure.Data.Tables;

namespace Feedback.Functions.Stores;

/// <summary>Stores, devices and QR signing keys: point reads only, so every request path stays O(1).</summary>
public sealed class StoreDirectory(StorageAccount storage, TokenOptions tokens)
{
    private TableClient Stores => storage.Table(TableNames.Stores);

    private TableClient Devices => storage.Table(TableNames.Devices);

    public async Task<Store?> GetStoreAsync(string storeId, CancellationToken cancellationToken) =>
        await Stores.FindAsync<TableEntity>(storeId, "", cancellationToken) is { } entity ? Store.FromEntity(entity) : null;

    /// <summary>Creates or replaces a store; true when it was created.</summary>
    public async Task<bool> PutStoreAsync(Store store, CancellationToken cancellationToken)
    {
        try
        {
            await Stores.AddEntityAsync(store.ToEntity(), cancellationToken);
            return true;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            await Stores.UpsertEntityAsync(store.ToEntity(), TableUpdateMode.Replace, cancellationToken);
            return false;
        }
    }

    public async Task<DeviceCreated> EnrollDeviceAsync(string storeId, string name, DeviceKind kind, CancellationToken cancellationToken)
    {
        var deviceId = "d" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        await Devices.AddEntityAsync(new Device(deviceId, storeId, name, kind, Hash(secret), null).ToEntity(), cancellationToken);
        return new DeviceCreated(deviceId, deviceId + "." + secret, kind.ToString().ToLowerInvariant());
    }

    /// <summary>Revokes a device of the store; false when the store has no such device.</summary>
    public async Task<bool> RevokeDeviceAsync(string storeId, string deviceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!IsDeviceId(deviceId) || await Devices.FindAsync<TableEntity>(deviceId, "", cancellationToken) is not { } entity)
        {
            return false;
        }

        var device = Device.FromEntity(entity);
        if (device.StoreId != storeId)
        {
            return false;
        }

        if (device.RevokedAt is null)
        {
            await Devices.UpsertEntityAsync((device with { RevokedAt = now }).ToEntity(), TableUpdateMode.Replace, cancellationToken);
        }

        return true;
    }

    /// <summary>The active device a key belongs to, or null for an unknown, wrong or revoked key.</summary>
    public async Task<Device?> AuthenticateDeviceAsync(string? deviceKey, CancellationToken cancellationToken)
    {
        var dot = deviceKey?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (deviceKey is null || dot <= 0 || deviceKey.Length > 128 || !IsDeviceId(deviceKey[..dot]))
        {
            return null;
        }

        if (await Devices.FindAsync<TableEntity>(deviceKey[..dot], "", cancellationToken) is not { } entity)
        {
            return null;
        }

        var device = Device.FromEntity(entity);
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

    private static bool IsDeviceId(string id) => id.Length == 17 && id[0] == 'd' && id.Skip(1).All(char.IsAsciiHexDigitLower);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
