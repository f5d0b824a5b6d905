using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;

namespace Feedback.Functions.Storage;

/// <summary>The app's tables and queues, by name, from the service clients registered in <see cref="AddStorage"/>.</summary>
public sealed class StorageAccount(TableServiceClient tables, QueueServiceClient queues)
{
    public const string Setting = "AzureWebJobsStorage";

    private readonly ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, QueueClient> _queues = new(StringComparer.Ordinal);

    public TableClient Table(string name) => _tables.GetOrAdd(name, tables.GetTableClient);

    public QueueClient Queue(string name) => _queues.GetOrAdd(name, queues.GetQueueClient);
}

/// <summary>Settings <c>Storage__*</c>: how long one storage call may take, and how often it is retried.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public int MaxRetries { get; set; } = 3;
}

public static class StorageRegistration
{
    /// <summary>
    /// Registers the table and queue service clients from the settings the Functions host reads:
    /// <c>AzureWebJobsStorage</c> (a connection string) or the identity-based <c>AzureWebJobsStorage__accountName</c> /
    /// <c>__tableServiceUri</c> / <c>__queueServiceUri</c> with <c>__credential</c> / <c>__clientId</c>.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(StorageAccount.Setting);
        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((options, credential) =>
                Endpoints.From(section) is var at && at.ConnectionString is { } connection
                    ? Valid(() => new TableServiceClient(connection, options))
                    : new TableServiceClient(at.Table, credential, options));
            clients.AddClient<QueueServiceClient, QueueClientOptions>((options, credential) =>
            {
                // What the Functions host's queue trigger decodes (host.json extensions.queues.messageEncoding).
                options.MessageEncoding = QueueMessageEncoding.Base64;
                return Endpoints.From(section) is var at && at.ConnectionString is { } connection
                    ? Valid(() => new QueueServiceClient(connection, options))
                    : new QueueServiceClient(at.Queue, credential, options);
            });
            clients.UseCredential(_ => Credential(section));

            // The one place storage retries are set: short enough that a request path answers 503 within seconds.
            // These defaults reach the WebJobs queue trigger's own clients too (it creates them through the same factory).
            // Storage__NetworkTimeout and Storage__MaxRetries tune them (an unresponsive account holds a request
            // for about NetworkTimeout × (MaxRetries + 1)).
            var retries = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
            if (retries.MaxRetries is < 0 or > 10 || retries.NetworkTimeout < TimeSpan.FromMilliseconds(100) || retries.NetworkTimeout > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException("Settings 'Storage__MaxRetries' (0–10) and 'Storage__NetworkTimeout' (100 ms to 5 min) are out of range.");
            }

            clients.ConfigureDefaults(options =>
            {
                options.Retry.Mode = RetryMode.Exponential;
                options.Retry.MaxRetries = retries.MaxRetries;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
                options.Retry.NetworkTimeout = retries.NetworkTimeout;
                options.AddPolicy(new UnreachableStorage(), HttpPipelinePosition.PerCall);
            });
        });
        services.AddSingleton<StorageAccount>();
        return services;
    }

    // As the Functions host reads it: credential=managedidentity with an optional clientId for a user-assigned identity.
    private static TokenCredential Credential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }

    private static T Valid<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Setting '{StorageAccount.Setting}' is not a valid storage connection string: {e.Message}", e);
        }
    }

    private sealed record Endpoints(string? ConnectionString, Uri Table, Uri Queue)
    {
        public static Endpoints From(IConfigurationSection section)
        {
            if (!string.IsNullOrWhiteSpace(section.Value))
            {
                return new Endpoints(section.Value, null!, null!);
            }

            var account = section["accountName"];
            var table = Uri(section, "tableServiceUri") ?? (account is null ? null : new Uri($"https://{account}.table.core.windows.net"));
            var queue = Uri(section, "queueServiceUri") ?? (account is null ? null : new Uri($"https://{account}.queue.core.windows.net"));
            return table is null || queue is null
                ? throw new InvalidOperationException(
                    $"Storage is not configured: set '{StorageAccount.Setting}' to a connection string, or '{StorageAccount.Setting}__accountName' " +
                    $"(or '{StorageAccount.Setting}__tableServiceUri' and '{StorageAccount.Setting}__queueServiceUri') for a managed identity.")
                : new Endpoints(null, table, queue);
        }

        private static Uri? Uri(IConfigurationSection section, string key) =>
            section[key] is { Length: > 0 } value
                ? System.Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri
                  : throw new InvalidOperationException($"Setting '{StorageAccount.Setting}__{key}' is not an absolute URI.")
                : null;
    }
}
