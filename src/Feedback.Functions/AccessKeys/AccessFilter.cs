using Feedback.Functions.Http;
using Feedback.Functions.Stores;
using Microsoft.Net.Http.Headers;

namespace Feedback.Functions.AccessKeys;

/// <summary>What a request asks to see, for the scope check: a store, a region, the chain, or nothing the filter can tell (the handler then refuses it).</summary>
public sealed record AccessTarget(string Kind, string? Id)
{
    public static readonly AccessTarget None = new("none", null);

    public static AccessTarget Store(string? storeId) => storeId is null ? None : new(AccessScope.StoreKind, storeId);

    /// <summary>A scores scope as the query spells it: <c>chain</c>, <c>region:{id}</c> or <c>store:{id}</c>.</summary>
    public static AccessTarget Scope(string? scope) =>
        AccessScope.TryParse(scope, out var parsed) ? new(parsed.Kind, parsed.Id) : None;

    public static AccessTarget StoreQuery(HttpContext context) => Store(Query(context, "storeId"));

    public static AccessTarget ScopeQuery(HttpContext context) => Scope(Query(context, "scope"));

    // The value exactly as the handler binds it (repeated parameters joined by commas, which no id or scope allows).
    private static string? Query(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is { Length: > 0 } value ? value : null;
}

/// <summary>
/// Read endpoints and case updates take the admin key (<c>X-Admin-Key</c>, or as a bearer token) or an access key as
/// <c>Authorization: Bearer {key}</c>: an unknown or revoked key is a 401, a request outside the key's scope a 403, and a
/// viewer key changing a case a 403.
/// </summary>
public static class AccessFilter
{
    private const string BearerPrefix = "Bearer ";

    /// <param name="target">What the request reads; null for a list the handler filters by <see cref="Access"/> itself.</param>
    /// <param name="changes">The endpoint changes data: a viewer key may not call it.</param>
    public static TBuilder RequireAccessKey<TBuilder>(this TBuilder builder, Func<HttpContext, AccessTarget>? target = null, bool changes = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                if (await AuthenticateAsync(http) is not { } access)
                {
                    return Problems.Unauthorized($"Send an access key as 'Authorization: Bearer <key>', or the admin key in {AdminKeyFilter.Header}.");
                }

                if (changes && !access.CanChangeCases)
                {
                    return Problems.Forbidden("This is a viewer key: it can read, not change.");
                }

                if (target?.Invoke(http) is { } wanted && !await CoversAsync(access, wanted, http))
                {
                    return Problems.Forbidden($"This access key covers {access.Scope}; {wanted.Kind}{(wanted.Id is null ? "" : ":" + wanted.Id)} is outside it.");
                }

                http.Items[typeof(Access)] = access;
                return await next(context);
            })
            .WithMetadata(AdminKeyRequired.Instance, AccessKeyAccepted.Instance);

    /// <summary>The request's credential, or null when it has none that works.</summary>
    public static async Task<Access?> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (AdminKeyFilter.IsAdmin(context))
        {
            return Access.Admin;
        }

        var authorization = context.Request.Headers[HeaderNames.Authorization].ToString();
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = authorization[BearerPrefix.Length..].Trim();
        if (AdminKeyFilter.IsAdminKey(context, presented))
        {
            return Access.Admin;
        }

        var key = await context.RequestServices.GetRequiredService<AccessKeyStore>().AuthenticateAsync(presented, context.RequestAborted);
        return key is null ? null : new Access(key.Id, key.Name, key.Scope, key.Role, false);
    }

    private static async Task<bool> CoversAsync(Access access, AccessTarget target, HttpContext context)
    {
        switch (target.Kind)
        {
            case AccessScope.ChainKind:
                return access.CoversChain;
            case AccessScope.RegionKind:
                return access.CoversRegion(target.Id!);
            case AccessScope.StoreKind when access.Scope.Kind == AccessScope.RegionKind:
                // A store outside every region the key knows (or no store at all) is outside its scope.
                var store = await context.RequestServices.GetRequiredService<StoreCache>().GetAsync(target.Id!, context.RequestAborted);
                return store is not null && access.Covers(store.Id, store.Region);
            case AccessScope.StoreKind:
                return access.Covers(target.Id!, "");
            default:
                // Nothing the filter can read: the handler refuses such a request (400 or 404) before it reads anything.
                return true;
        }
    }
}

/// <summary>Endpoint metadata: the endpoint takes an access key as a bearer token (added by <see cref="AccessFilter.RequireAccessKey"/>).</summary>
public sealed class AccessKeyAccepted
{
    public static readonly AccessKeyAccepted Instance = new();
}
