namespace Feedback.Functions.Devices;

/// <summary>Settings <c>Devices__*</c>: how often kiosks report, and when a silent one counts as offline.</summary>
public sealed class DeviceOptions
{
    public const string Section = "Devices";

    /// <summary>A device whose last heartbeat is older than this is offline (and raises <c>device.offline</c> once).</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a kiosk sends its heartbeat; told to the kiosk in every heartbeat answer.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>NCRONTAB schedule of CheckDevices (its function.json reads %Devices__CheckSchedule%).</summary>
    public string CheckSchedule { get; set; } = "30 * * * * *";
}
