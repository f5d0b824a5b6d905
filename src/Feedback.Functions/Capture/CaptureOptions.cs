namespace Feedback.Functions.Capture;

/// <summary>Per-minute limits on answers. Devices and tokens are limited by themselves, token answers also per IP.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public int DevicePerMinute { get; set; } = 120;

    public int TokenPerMinute { get; set; } = 60;

    /// <summary>A store's guest Wi-Fi puts many phones behind one address, so this is generous.</summary>
    public int IpPerMinute { get; set; } = 240;

    /// <summary>Reward redemption attempts per device, so codes cannot be guessed at a till.</summary>
    public int RedeemPerMinute { get; set; } = 30;
}
