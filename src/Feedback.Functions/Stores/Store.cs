using System.Text.Json;
using Feedback.Functions.Answers;

namespace Feedback.Functions.Stores;

/// <summary>
/// A store as the app uses it; stored as a <see cref="StoreEntity"/>. Its zone and reward campaign
/// are parsed once, when the store is read (and then cached, <see cref="StoreCache"/>).
/// </summary>
public sealed record Store(string Id, string Name, string Region, string TimeZone, IReadOnlyList<string> Languages, string? RewardJson)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public RewardCampaign? Reward { get; } = RewardCampaign.Parse(RewardJson);

    /// <summary>The store-day an answer made at <paramref name="instant"/> belongs to.</summary>
    public StoreDay DayOf(DateTimeOffset instant) => StoreDay.Of(Id, instant, Zone);

    public StoreView ToView() => new(Id, Name, Region, TimeZone, Languages,
        RewardJson is null ? null : JsonDocument.Parse(RewardJson).RootElement.Clone());
}

/// <summary>An enrolled kiosk or POS; stored as a <see cref="DeviceEntity"/>, a point read per request.</summary>
public sealed record Device(string Id, string StoreId, string Name, DeviceKind Kind, string KeyHash, DateTimeOffset? RevokedAt);
