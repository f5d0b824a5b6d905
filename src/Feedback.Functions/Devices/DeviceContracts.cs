namespace Feedback.Functions.Devices;

/// <summary>The body of POST /api/devices/heartbeat: what the kiosk knows about itself.</summary>
public sealed record HeartbeatRequest(string? AppVersion, int? Queued, string? LastError);

/// <summary>The heartbeat's answer: what the kiosk needs to know about its store, kept by the kiosk for offline starts.</summary>
public sealed record DeviceConfig(
    string DeviceId, string StoreId, string StoreName, string Kind, bool KioskRewards, int HeartbeatSeconds, int RewardIntervalSeconds);

/// <summary>One device of a store as the admin API shows it: enrolment and the latest heartbeat.</summary>
public sealed record DeviceHealthView(
    string DeviceId,
    string Name,
    string Kind,
    string Status,
    DateTimeOffset? LastSeenAt,
    string? AppVersion,
    int? Queued,
    string? LastError,
    DateTimeOffset? RevokedAt);

public sealed record DeviceList(string StoreId, int OfflineAfterSeconds, IReadOnlyList<DeviceHealthView> Devices);

/// <summary>The data of a <c>device.offline</c> or <c>device.online</c> webhook event.</summary>
public sealed record DeviceEventData(
    string StoreId, string DeviceId, string DeviceName, DateTimeOffset LastSeenAt, DateTimeOffset OfflineSince, string? AppVersion, int Queued, string? LastError);

/// <summary>A till's own QR signing key (base64, 32 bytes) and the ids its tokens carry.</summary>
public sealed record DeviceSigningKey(string StoreId, string DeviceId, string KeyId, string Key);
