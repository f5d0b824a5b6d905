namespace Feedback.Functions.Capture;

/// <summary>The channel an answer came through.</summary>
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

/// <summary>Lowercase wire names of <see cref="Touchpoint"/>, as used in tokens and URLs.</summary>
public static class Touchpoints
{
    public static string ToWire(Touchpoint touchpoint) => touchpoint switch
    {
        Touchpoint.Store => "store",
        Touchpoint.Kiosk => "kiosk",
        Touchpoint.Web => "web",
        Touchpoint.App => "app",
        Touchpoint.CallCenter => "callcenter",
        Touchpoint.Chatbot => "chatbot",
        Touchpoint.Delivery => "delivery",
        _ => throw new ArgumentOutOfRangeException(nameof(touchpoint), touchpoint, "Unknown touchpoint."),
    };

    // Exact lowercase names only: Enum.TryParse would also accept "Store", "1" or "store, web",
    // and a signed token must have exactly one spelling.
    public static bool TryParse(string? value, out Touchpoint touchpoint)
    {
        Touchpoint? parsed = value switch
        {
            "store" => Touchpoint.Store,
            "kiosk" => Touchpoint.Kiosk,
            "web" => Touchpoint.Web,
            "app" => Touchpoint.App,
            "callcenter" => Touchpoint.CallCenter,
            "chatbot" => Touchpoint.Chatbot,
            "delivery" => Touchpoint.Delivery,
            _ => null,
        };
        touchpoint = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }
}
