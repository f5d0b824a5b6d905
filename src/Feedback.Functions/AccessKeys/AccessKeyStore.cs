using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.AccessKeys;

/// <summary>An access key as stored: its secret only as a SHA-256 hash.</summary>
public sealed record AccessKey(string Id, string Name, AccessScope Scope, string Role, string SecretHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Owns the accesskeys table (PartitionKey = key id, RowKey ""). A key reads <c>{id}.{secret}</c>: the id makes each
/// check one point read, the secret is compared by hash in constant time. Nothing is cached, so a revocation holds
/// from the next request on.
/// </summary>
public sealed class AccessKeyStore(StorageAccount storage, TimeProvider clock)
{
    private const int MaxKeyLength = 128;

    private TableClient Table => storage.Table(TableNames.AccessKeys);

    /// <summary>Creates a key; the secret is returned here once and never stored.</summary>
    public async Task<(AccessKey Key, string Secret)> CreateAsync(string name, AccessScope scope, string role, CancellationToken cancellationToken)
    {
        var id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var key = new AccessKey(id, name, scope, role, Hash(secret), clock.GetUtcNow(), null);
        await Table.AddEntityAsync(ToEntity(key), cancellationToken);
        return (key, id + "." + secret);
    }

    public async Task<IReadOnlyList<AccessKey>> ListAsync(CancellationToken cancellationToken)
    {
        var keys = new List<AccessKey>();
        await foreach (var row in Table.QueryAsync<AccessKeyEntity>(cancellationToken: cancellationToken))
        {
            keys.Add(ToKey(row));
        }

        return [.. keys.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)];
    }

    public async Task<AccessKey?> GetAsync(string id, CancellationToken cancellationToken) =>
        IsKeyId(id) && await Table.FindAsync<AccessKeyEntity>(id, "", cancellationToken) is { } row ? ToKey(row) : null;

    /// <summary>Marks a key revoked (a second revocation keeps the first time); null when there is no such key.</summary>
    public async Task<AccessKey?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } key)
        {
            return null;
        }

        if (key.RevokedAt is not null)
        {
            return key;
        }

        var revoked = key with { RevokedAt = clock.GetUtcNow() };
        await Table.UpdateEntityAsync(ToEntity(revoked), ETag.All, TableUpdateMode.Replace, cancellationToken);
        return revoked;
    }

    /// <summary>The live key a presented <c>{id}.{secret}</c> belongs to; null when it is malformed, unknown, wrong or revoked.</summary>
    public async Task<AccessKey?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        var dot = presented.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || presented.Length > MaxKeyLength || await GetAsync(presented[..dot], cancellationToken) is not { } key)
        {
            return null;
        }

        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented[(dot + 1)..])), Encoding.ASCII.GetBytes(key.SecretHash));
        return matches && key.RevokedAt is null ? key : null;
    }

    private static bool IsKeyId(string id) => id.Length == 17 && id[0] == 'k' && id.Skip(1).All(char.IsAsciiHexDigitLower);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static AccessKeyEntity ToEntity(AccessKey key) => new()
    {
        PartitionKey = key.Id,
        Name = key.Name,
        Scope = key.Scope.ToString(),
        Role = key.Role,
        SecretHash = key.SecretHash,
        CreatedAt = key.CreatedAt,
        RevokedAt = key.RevokedAt,
    };

    private static AccessKey ToKey(AccessKeyEntity e) =>
        new(e.PartitionKey, e.Name, AccessScope.TryParse(e.Scope, out var scope) ? scope : throw new FormatException($"Access key {e.PartitionKey} has no readable scope."),
            e.Role, e.SecretHash, e.CreatedAt, e.RevokedAt);
}

/// <summary>A row of the accesskeys table.</summary>
public sealed class AccessKeyEntity : TableRow
{
    public string Name { get; set; } = "";
    public string Scope { get; set; } = "";
    public string Role { get; set; } = "";
    public string SecretHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
