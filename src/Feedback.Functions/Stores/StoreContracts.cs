using System.Text.Json;

namespace Feedback.Functions.Stores;

public sealed record StoreRequest(string? Name, string? Region, string? TimeZone, string[]? Languages, JsonElement? Reward);

public sealed record StoreView(string StoreId, string Name, string Region, string TimeZone, IReadOnlyList<string> Languages, JsonElement? Reward);

public sealed record DeviceRequest(string? Name, string? Kind);

/// <summary>The device key is shown here once; only its hash is stored.</summary>
public sealed record DeviceCreated(string DeviceId, string DeviceKey, string Kind);

public sealed record TokenRequest(string? Touchpoint, string? ReceiptId, int? ValidForDays);

public sealed record TokenCreated(string Token, string Url, DateTimeOffset ExpiresAt);

public sealed record StoreSigningKey(string StoreId, string KeyId, string Key);
