using System.Text.Json;

namespace Feedback.Functions.Stores;

public enum DeviceKind
{
    Kiosk,
    Pos,
}

/// <summary>A store as the app uses it; stored as a <see cref="StoreEntity"/>.</summary>
public sealed record Store(string Id, string Name, string Region, string TimeZone, IReadOnlyList<string> Languages, string? RewardJson)
{
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public StoreView ToView() => new(Id, Name, Region, TimeZone, Languages,
        RewardJson is null ? null : JsonDocument.Parse(RewardJson).RootElement.Clone());
}

/// <summary>An enrolled kiosk or POS; stored as a <see cref="DeviceEntity"/>, a point read per request.</summary>
public sealed record Device(string Id, string StoreId, string Name, DeviceKind Kind, string KeyHash, DateTimeOffset? RevokedAt);
