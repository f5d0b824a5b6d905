using System.Text.Json.Serialization;

namespace Feedback.Functions.Answers;

/// <summary>The channel an answer came through; on the wire by its lowercase name (<see cref="WireEnum"/>).</summary>
[JsonConverter(typeof(LowercaseEnum<Touchpoint>))]
public enum Touchpoint
{
    Store,
    Kiosk,
    Web,
    App,
    CallCenter,
    Chatbot,
    Delivery,
}

public static class Touchpoints
{
    public static readonly IReadOnlyList<Touchpoint> All = Enum.GetValues<Touchpoint>();

    public static bool TryParse(string? value, out Touchpoint touchpoint) => WireEnum.TryParse(value, out touchpoint);
}
