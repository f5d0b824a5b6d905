using System.Net;
using Feedback.Functions.Configuration;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Feedback.Functions.Http;

/// <summary>
/// <c>Http__TrustedProxies</c>: the addresses and networks (comma-separated, <c>10.0.0.0/8</c> or <c>10.1.2.3</c>)
/// whose <c>X-Forwarded-For</c> is believed. The default is the local host: under the Functions host every request
/// reaches the app from loopback, forwarded by the host. Empty: believe nobody.
/// </summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    public string TrustedProxies { get; set; } = "127.0.0.0/8, ::1";

    /// <summary>The trusted networks, or null when an entry is not an address or network.</summary>
    public IReadOnlyList<IPNetwork>? Networks()
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in TrustedProxies.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                return null;
            }
        }

        return networks;
    }
}

public static class ClientAddresses
{
    /// <summary>
    /// The client's address as <see cref="ConnectionInfo.RemoteIpAddress"/>, through ASP.NET Core's forwarded headers
    /// middleware: X-Forwarded-For is read from the right, one entry per hop, only while the hop that handed the request
    /// over is a trusted proxy; so the client is the entry the nearest trusted proxy appended, with any port stripped,
    /// and whatever a client wrote into the header itself is never reached.
    /// </summary>
    public static IServiceCollection AddClientAddresses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<HttpOptions>(configuration.GetSection(HttpOptions.Section))
            .Validate(o => o.Networks() is not null, "Setting 'Http__TrustedProxies' must list IP addresses or networks (a.b.c.d/n), comma-separated.");
        services.AddOptions<ForwardedHeadersOptions>().Configure<HttpOptions>((forwarded, http) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in http.Networks() ?? [])
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            // No count of hops: the walk ends at the first hop that is not trusted.
            forwarded.ForwardLimit = null;
        });
        return services;
    }
}
