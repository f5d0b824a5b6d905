using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;
using Feedback.Storage;
using Feedback.Storage.Queues;
using Feedback.Storage.Tables;

namespace Feedback.Functions.Storage;

/// <summary>
/// The app's storage account, from <c>AzureWebJobsStorage</c> (a connection string) or from the
/// identity-based <c>AzureWebJobsStorage__*</c> settings the Functions host also understands.
/// </summary>
public sealed class StorageAccount
{
    private readonly Func<string, TableClient> _table;
    private readonly Func<string, QueueClient> _queue;

    private readonly ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, QueueClient> _queues = new(StringComparer.Ordinal);

    private StorageAccount(Func<string, TableClient> table, Func<string, QueueClient> queue)
    {
        _table = table;
        _queue = queue;
    }

    public TableClient Table(string name) => _tables.GetOrAdd(name, _table);

    public QueueClient Queue(string name) => _queues.GetOrAdd(name, _queue);

    public static StorageAccount FromConfiguration(IConfiguration configuration)
    {
        const string Setting = "AzureWebJobsStorage";
        var connectionString = configuration[Setting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            StorageConnectionString parsed;
            try
            {
                parsed = StorageConnectionString.Parse(connectionString);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidOperationException($"Setting '{Setting}' is not a valid storage connection string: {e.Message}", e);
            }

            var key = parsed.Credential ?? throw new InvalidOperationException($"Setting '{Setting}' has no account key.");
            return new StorageAccount(
                name => new TableClient(parsed.TableEndpoint, name, key),
                name => new QueueClient(parsed.QueueEndpoint, name, key));
        }

        var section = configuration.GetSection(Setting);
        var account = section["accountName"];
        var tableUri = Uri(section, "tableServiceUri") ?? (account is null ? null : new Uri($"https://{account}.table.core.windows.net"));
        var queueUri = Uri(section, "queueServiceUri") ?? (account is null ? null : new Uri($"https://{account}.queue.core.windows.net"));
        if (tableUri is null || queueUri is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set '{Setting}' to a connection string, or '{Setting}__accountName' " +
                $"(or '{Setting}__tableServiceUri' and '{Setting}__queueServiceUri') for a managed identity.");
        }

        var credential = Credential(section);
        return new StorageAccount(
            name => new TableClient(tableUri, name, credential),
            name => new QueueClient(queueUri, name, credential));
    }

    private static Uri? Uri(IConfigurationSection section, string key) =>
        section[key] is { Length: > 0 } value
            ? System.Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri
              : throw new InvalidOperationException($"Setting 'AzureWebJobsStorage__{key}' is not an absolute URI.")
            : null;

    // As the Functions host reads it: credential=managedidentity with an optional clientId for a user-assigned identity.
    private static TokenCredential Credential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
