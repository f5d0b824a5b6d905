namespace Feedback.Functions.AccessKeys;

/// <summary>The body of POST /api/access-keys. Scope: <c>store:{storeId}</c>, <c>region:{region}</c> or <c>chain</c>; role: manager or viewer.</summary>
public sealed record AccessKeyRequest(string? Name, string? Scope, string? Role);

/// <summary>The key is shown here once; only its hash is stored.</summary>
public sealed record AccessKeyCreated(string Id, string Key, string Name, string Scope, string Role, DateTimeOffset CreatedAt);

/// <summary>An access key without its secret.</summary>
public sealed record AccessKeyView(string Id, string Name, string Scope, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static AccessKeyView From(AccessKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.Name, key.Scope.ToString(), key.Role, key.CreatedAt, key.RevokedAt);
    }
}

public sealed record AccessKeyList(IReadOnlyList<AccessKeyView> Items);

/// <summary>What the presented credential may do: the dashboard asks this first. <c>Id</c> is null for the admin key.</summary>
public sealed record CurrentAccess(string? Id, string Name, string Scope, string Role, bool Admin, bool CanChangeCases);
