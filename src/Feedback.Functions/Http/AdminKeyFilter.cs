using System.Security.Cryptography;
using System.Text;
using Feedback.Functions.Configuration;

namespace Feedback.Functions.Http;

/// <summary>Admin endpoints require <c>X-Admin-Key</c> in every mode; Functions keys alone are not enough.</summary>
public static class AdminKeyFilter
{
    public const string Header = "X-Admin-Key";

    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            IsAdmin(context.HttpContext)
                ? await next(context)
                : Problems.Unauthorized($"Send the admin key in the {Header} header."))
            .WithMetadata(AdminKeyRequired.Instance);

    public static bool IsAdmin(HttpContext context) => IsAdminKey(context, context.Request.Headers[Header].ToString());

    /// <summary>Whether <paramref name="given"/> is the admin key, compared in constant time.</summary>
    public static bool IsAdminKey(HttpContext context, string given)
    {
        var expected = context.RequestServices.GetRequiredService<AdminOptions>().ApiKey;
        return given.Length > 0 &&
               CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}

/// <summary>Endpoint metadata: the endpoint needs <c>X-Admin-Key</c> (added by <see cref="AdminKeyFilter.RequireAdminKey"/>).</summary>
public sealed class AdminKeyRequired
{
    public static readonly AdminKeyRequired Instance = new();
}
