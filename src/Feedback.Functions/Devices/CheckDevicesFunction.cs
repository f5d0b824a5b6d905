using Feedback.Functions.Hosting;
using Feedback.Functions.Stores;
using Feedback.Functions.Webhooks;

namespace Feedback.Functions.Devices;

/// <summary>
/// Timer: compares every device's last heartbeat with <see cref="DeviceOptions.OfflineAfter"/> and tells the
/// webhooks once when a device falls silent (<c>device.offline</c>) and once when it is back (<c>device.online</c>).
/// Each change is first recorded as unpublished, then published, then marked published: a crash anywhere
/// republishes the same event under the same webhook id (derived from the device and its offline spell),
/// so running twice, concurrently or after a crash sends nothing twice.
/// </summary>
public sealed class CheckDevicesFunction(
    DeviceHealthTable health, StoreDirectory directory, WebhookPublisher publisher, DeviceOptions options, TimeProvider clock,
    ILogger<CheckDevicesFunction> logger) : ITimerFunction
{
    public const string Name = "CheckDevices";

    public async Task RunAsync(TimerTrigger trigger, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var devicesByStore = new Dictionary<string, IReadOnlyDictionary<string, Device>>(StringComparer.Ordinal);
        await foreach (var (storeId, deviceId, beat, state) in health.AllAsync(cancellationToken))
        {
            if (state is { Published: false })
            {
                await PublishAsync(storeId, deviceId, beat, state, await DeviceAsync(storeId, deviceId), cancellationToken);
                continue;
            }

            var reported = state?.State ?? DeviceStateEntity.Online;
            var silent = DeviceEndpoints.IsSilent(beat.LastSeenAt, now, options);
            var change = (silent, reported) switch
            {
                (true, DeviceStateEntity.Online) => DeviceStateEntity.Offline,
                (false, DeviceStateEntity.Offline) => DeviceStateEntity.Online,
                _ => null,
            };
            if (change is null)
            {
                continue;
            }

            var device = await DeviceAsync(storeId, deviceId);
            var next = new DeviceStateEntity
            {
                State = change,
                // The offline spell is named by the heartbeat it followed; the online event names the same spell.
                LastSeenAt = change == DeviceStateEntity.Offline ? beat.LastSeenAt : state!.LastSeenAt,
                DetectedAt = now,
                // A revoked or deleted device is silent on purpose: record it, tell nobody.
                Published = device is null or { RevokedAt: not null },
            };
            if (await health.TryWriteStateAsync(storeId, deviceId, next, state?.ETag, cancellationToken) && !next.Published)
            {
                await PublishAsync(storeId, deviceId, beat, next, device!, cancellationToken);
            }
        }

        async Task<Device?> DeviceAsync(string storeId, string deviceId)
        {
            if (!devicesByStore.TryGetValue(storeId, out var devices))
            {
                devicesByStore[storeId] = devices = (await directory.ListDevicesAsync(storeId, cancellationToken)).ToDictionary(d => d.Id, StringComparer.Ordinal);
            }

            return devices.GetValueOrDefault(deviceId);
        }
    }

    private async Task PublishAsync(string storeId, string deviceId, HeartbeatEntity beat, DeviceStateEntity state, Device? device, CancellationToken cancellationToken)
    {
        var offline = state.State == DeviceStateEntity.Offline;
        var eventType = offline ? WebhookEvents.DeviceOffline : WebhookEvents.DeviceOnline;
        if (device is not null)
        {
            var data = new DeviceEventData(storeId, deviceId, device.Name, offline ? state.LastSeenAt : beat.LastSeenAt, state.LastSeenAt,
                beat.AppVersion, beat.Queued, beat.LastError);
            await publisher.PublishAsync(storeId, eventType, $"{deviceId}.{state.LastSeenAt.UtcTicks}", data, state.DetectedAt, cancellationToken);
            logger.LogInformation("Device {DeviceId} of {StoreId}: {EventType}", deviceId, storeId, eventType);
        }

        state.Published = true;
        await health.TryWriteStateAsync(storeId, deviceId, state, state.ETag, cancellationToken);
    }
}
