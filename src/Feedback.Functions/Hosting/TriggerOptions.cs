namespace Feedback.Functions.Hosting;

/// <summary>Settings <c>Triggers__*</c>.</summary>
public sealed class TriggerOptions
{
    public const string Section = "Triggers";

    /// <summary>
    /// Run the queue and timer triggers in this process. Defaults to on when the Functions host did not
    /// start the app (no FUNCTIONS_CUSTOMHANDLER_PORT).
    /// </summary>
    public bool Standalone { get; set; } = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is null;
}
