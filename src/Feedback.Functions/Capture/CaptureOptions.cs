namespace Feedback.Functions.Capture;

/// <summary>Per-minute limits on answers (devices and tokens by themselves, token answers also per IP), and the daily ceiling of an open token.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public int DevicePerMinute { get; set; } = 120;

    public int TokenPerMinute { get; set; } = 60;

    /// <summary>A store's guest Wi-Fi puts many phones behind one address, so this is generous.</summary>
    public int IpPerMinute { get; set; } = 240;

    /// <summary>
    /// Answers a day per open (non-receipt) QR token, counted in storage across every instance; a busy store's poster
    /// takes a few hundred.
    /// </summary>
    public int OpenTokenPerDay { get; set; } = 1000;

    /// <summary>Reward redemption attempts per device, so codes cannot be guessed at a till.</summary>
    public int RedeemPerMinute { get; set; } = 30;
}
