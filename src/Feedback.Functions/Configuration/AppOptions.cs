namespace Feedback.Functions.Configuration;

/// <summary><c>Admin__ApiKey</c>: the key admin requests send in <c>X-Admin-Key</c>.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public string ApiKey { get; set; } = "";
}

/// <summary><c>Tokens__ActiveKeyId</c> and <c>Tokens__Keys__&lt;kid&gt;</c> (base64, ≥ 32 bytes): QR token signing keys.</summary>
public sealed class TokenOptions
{
    public const string Section = "Tokens";

    public string ActiveKeyId { get; set; } = "";

    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The decoded key for a key id, or null when the id is unknown.</summary>
    public byte[]? Key(string keyId) => Keys.TryGetValue(keyId, out var value) ? Convert.FromBase64String(value) : null;
}

/// <summary><c>PublicBaseUrl</c>: where customers reach the app; survey links and QR codes point here.</summary>
public sealed class PublicOptions
{
    public string PublicBaseUrl { get; set; } = "";

    public Uri BaseUri => new(PublicBaseUrl.TrimEnd('/') + "/");

    /// <summary>The survey link a QR token opens: <c>{PublicBaseUrl}/s/{token}</c>.</summary>
    public string SurveyUrl(string token) => new Uri(BaseUri, "s/" + token).ToString();
}

public static class AppOptionsExtensions
{
    public static IServiceCollection AddAppOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<AdminOptions>(configuration.GetSection(AdminOptions.Section))
            .Validate(o => o.ApiKey.Length >= 16, "Setting 'Admin__ApiKey' is required and must be at least 16 characters.");
        services.AddSettings<TokenOptions>(configuration.GetSection(TokenOptions.Section))
            .Validate(o => o.ActiveKeyId.Length > 0 && o.Keys.ContainsKey(o.ActiveKeyId),
                "Setting 'Tokens__ActiveKeyId' is required and must name a key set as 'Tokens__Keys__<kid>'.")
            .Validate(o => o.Keys.Values.All(IsStrongKey), "Every 'Tokens__Keys__<kid>' must be base64 of at least 32 bytes.");
        services.AddSettings<PublicOptions>(configuration)
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "Setting 'PublicBaseUrl' is required and must be an absolute http(s) URL.");
        return services;
    }

    private static bool IsStrongKey(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var length) && length >= 32;
    }
}
