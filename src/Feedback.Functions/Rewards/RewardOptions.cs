namespace Feedback.Functions.Rewards;

/// <summary>Settings <c>Rewards__*</c>.</summary>
public sealed class RewardOptions
{
    public const string Section = "Rewards";

    /// <summary>A kiosk earns at most one reward per this interval, so a person cannot farm it by tapping.</summary>
    public TimeSpan KioskInterval { get; set; } = TimeSpan.FromMinutes(2);
}
