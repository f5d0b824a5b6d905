namespace Feedback.Storage;

/// <summary>
/// A parsed storage connection string: the account-key form, explicit endpoints, and
/// <c>UseDevelopmentStorage=true</c> (Azurite's well-known account, optionally behind
/// <c>DevelopmentStorageProxyUri</c>).
/// </summary>
public sealed record StorageConnectionString(
    string AccountName,
    StorageSharedKeyCredential? Credential,
    Uri TableEndpoint,
    Uri QueueEndpoint,
    Uri BlobEndpoint)
{
    public const string DevelopmentAccountName = "devstoreaccount1";
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"Connection string segment '{Redact(part)}' is not of the form name=value.");
            }

            settings[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            return Development(settings.TryGetValue("DevelopmentStorageProxyUri", out var proxy) ? new Uri(proxy) : null);
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException("Shared access signature connection strings are not supported; use an account key or a TokenCredential.");
        }

        var account = Required(settings, "AccountName");
        var key = Required(settings, "AccountKey");
        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        Uri Endpoint(string name, string service) =>
            settings.TryGetValue(name, out var explicitEndpoint)
                ? new Uri(explicitEndpoint.TrimEnd('/'))
                : new Uri($"{protocol}://{account}.{service}.{suffix}");

        return new StorageConnectionString(
            account,
            new StorageSharedKeyCredential(account, key),
            Endpoint("TableEndpoint", "table"),
            Endpoint("QueueEndpoint", "queue"),
            Endpoint("BlobEndpoint", "blob"));
    }

    private static StorageConnectionString Development(Uri? proxy)
    {
        var host = proxy is null ? "http://127.0.0.1" : $"{proxy.Scheme}://{proxy.Host}";
        return new StorageConnectionString(
            DevelopmentAccountName,
            new StorageSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey),
            new Uri($"{host}:10002/{DevelopmentAccountName}"),
            new Uri($"{host}:10001/{DevelopmentAccountName}"),
            new Uri($"{host}:10000/{DevelopmentAccountName}"));
    }

    private static string Required(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"Connection string is missing '{name}'.");

    // Never echo a key back in an error message.
    private static string Redact(string segment) => segment.Length > 12 ? segment[..12] + "…" : segment;
}
