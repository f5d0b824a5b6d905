using System.Text.Json;
using Azure.Data.Tables;

namespace Feedback.Functions.Stores;

public enum DeviceKind
{
    Kiosk,
    Pos,
}

/// <summary>A store as the app uses it. Stored one row per store: PartitionKey = store id, RowKey "".</summary>
public sealed record Store(string Id, string Name, string Region, string TimeZone, IReadOnlyList<string> Languages, string? RewardJson)
{
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public StoreView ToView() => new(Id, Name, Region, TimeZone, Languages,
        RewardJson is null ? null : JsonDocument.Parse(RewardJson).RootElement.Clone());

    public TableEntity ToEntity() => new(Id, "")
    {
        ["Name"] = Name,
        ["Region"] = Region,
        ["TimeZone"] = TimeZone,
        ["Languages"] = string.Join(',', Languages),
        ["Reward"] = RewardJson,
    };

    public static Store FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("Name") ?? "",
        e.GetString("Region") ?? "",
        e.GetString("TimeZone") ?? "UTC",
        (e.GetString("Languages") ?? "en").Split(',', StringSplitOptions.RemoveEmptyEntries),
        e.GetString("Reward"));
}

/// <summary>An enrolled kiosk or POS. PartitionKey = device id, RowKey "": a point read per request.</summary>
public sealed record Device(string Id, string StoreId, string Name, DeviceKind Kind, string KeyHash, DateTimeOffset? RevokedAt)
{
    public TableEntity ToEntity() => new(Id, "")
    {
        ["StoreId"] = StoreId,
        ["Name"] = Name,
        ["Kind"] = Kind.ToString().ToLowerInvariant(),
        ["KeyHash"] = KeyHash,
        ["RevokedAt"] = RevokedAt,
    };

    public static Device FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("StoreId") ?? "",
        e.GetString("Name") ?? "",
        Enum.TryParse<DeviceKind>(e.GetString("Kind"), ignoreCase: true, out var kind) ? kind : DeviceKind.Kiosk,
        e.GetString("KeyHash") ?? "",
        e.GetDateTimeOffset("RevokedAt"));
}
