using System.Globalization;

namespace Feedback.Functions.Http;

/// <summary>The request and response headers of the API that more than one feature reads or writes.</summary>
public static class ApiHeaders
{
    /// <summary>The key of an enrolled kiosk or POS device.</summary>
    public const string DeviceKey = "X-Device-Key";

    /// <summary>A wait in whole seconds, at least 1, as Retry-After takes it.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
