using Feedback.Functions.Answers;

namespace Feedback.Functions.AccessKeys;

/// <summary>What an access key covers: the whole chain, one region, or one store. On the wire <c>chain</c>, <c>region:{id}</c>, <c>store:{id}</c>.</summary>
public sealed record AccessScope(string Kind, string? Id)
{
    public const string ChainKind = "chain";
    public const string RegionKind = "region";
    public const string StoreKind = "store";

    public static readonly AccessScope Chain = new(ChainKind, null);

    public static AccessScope Region(string region) => new(RegionKind, region);

    public static AccessScope Store(string storeId) => new(StoreKind, storeId);

    public static bool TryParse(string? text, out AccessScope scope)
    {
        scope = Chain;
        if (text == ChainKind)
        {
            return true;
        }

        if (text?.Split(':', 2) is [var kind and (RegionKind or StoreKind), var id] && Ids.IsStoreId(id))
        {
            scope = new AccessScope(kind, id);
            return true;
        }

        return false;
    }

    public override string ToString() => Id is null ? Kind : Kind + ":" + Id;
}

/// <summary>A manager reads and works the case inbox; a viewer only reads.</summary>
public static class AccessRoles
{
    public const string Manager = "manager";
    public const string Viewer = "viewer";

    public static bool IsValid(string? role) => role is Manager or Viewer;
}

/// <summary>
/// Who is asking: the admin key (everything), or an access key with its scope and role. Set on the request by
/// <see cref="AccessFilter.RequireAccessKey"/>; handlers read it with <see cref="Of"/>.
/// </summary>
public sealed record Access(string? KeyId, string Name, AccessScope Scope, string Role, bool IsAdmin)
{
    public static readonly Access Admin = new(null, "admin", AccessScope.Chain, AccessRoles.Manager, true);

    public bool CanChangeCases => Role == AccessRoles.Manager;

    /// <summary>Whether a store of a region is inside the scope.</summary>
    public bool Covers(string storeId, string region) => Scope.Kind switch
    {
        AccessScope.ChainKind => true,
        AccessScope.RegionKind => region == Scope.Id,
        _ => storeId == Scope.Id,
    };

    /// <summary>Whether a region's figures (every store in it) are inside the scope.</summary>
    public bool CoversRegion(string region) => Scope.Kind == AccessScope.ChainKind || (Scope.Kind == AccessScope.RegionKind && region == Scope.Id);

    public bool CoversChain => Scope.Kind == AccessScope.ChainKind;

    /// <summary>The request's access; only on endpoints behind <see cref="AccessFilter.RequireAccessKey"/>.</summary>
    public static Access Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[typeof(Access)] as Access ?? throw new InvalidOperationException("The endpoint does not require an access key.");
    }
}
