using System.Net;
using System.Net.Sockets;

namespace Feedback.Functions.Webhooks;

/// <summary>
/// Where webhooks may go. Private, loopback, link-local, the Azure platform's own addresses, IPv4 addresses in IPv6
/// clothing (mapped, translated, NAT64, Teredo) and other non-public addresses are refused
/// (unless <c>Webhooks__AllowPrivateTargets</c>), when a URL is registered and again on every
/// connection, so a name that later resolves to an internal address (DNS rebinding) gets nowhere.
/// </summary>
public static class WebhookTargets
{
    private static readonly (IPAddress Network, int Bits)[] NonPublicV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // carrier-grade NAT
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("168.63.129.16"), 32), // Azure platform (wire server, DNS, health probes): public range, not public
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local (the instance metadata endpoint 169.254.169.254 lives here)
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // IETF protocol assignments
        (IPAddress.Parse("192.0.2.0"), 24),     // documentation
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("198.51.100.0"), 24),  // documentation
        (IPAddress.Parse("203.0.113.0"), 24),   // documentation
        (IPAddress.Parse("224.0.0.0"), 3),      // multicast, reserved, broadcast
    ];

    private static readonly (IPAddress Network, int Bits)[] NonPublicV6 =
    [
        (IPAddress.Parse("::"), 96),            // unspecified, loopback, IPv4-compatible
        (IPAddress.Parse("::ffff:0:0"), 96),    // IPv4-mapped: a socket would reach the IPv4 address behind our checks' back
        (IPAddress.Parse("::ffff:0:0:0"), 96),  // IPv4-translated (SIIT)
        (IPAddress.Parse("64:ff9b::"), 96),     // NAT64, well-known prefix: reaches whatever IPv4 the translator can
        (IPAddress.Parse("64:ff9b:1::"), 48),   // NAT64, local-use prefix
        (IPAddress.Parse("100::"), 64),         // discard
        (IPAddress.Parse("2001::"), 32),        // Teredo: tunnels to an IPv4 address
        (IPAddress.Parse("2001:db8::"), 32),    // documentation
        (IPAddress.Parse("fc00::"), 7),         // unique local
        (IPAddress.Parse("fe80::"), 10),        // link-local
        (IPAddress.Parse("fec0::"), 10),        // site-local (deprecated)
        (IPAddress.Parse("ff00::"), 8),         // multicast
    ];

    private static readonly IPAddress SixToFour = IPAddress.Parse("2002::");

    /// <summary>True for an address on the public internet.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !NonPublicV4.Any(n => InNetwork(address, n.Network, n.Bits));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        // 6to4 embeds an IPv4 address in the clear and is as public as the address it embeds. The translated
        // forms (mapped, SIIT, NAT64, Teredo) are refused outright: where they lead depends on a translator, not on us.
        if (InNetwork(address, SixToFour, 16))
        {
            return IsPublic(new IPAddress(address.GetAddressBytes()[2..6]));
        }

        return !NonPublicV6.Any(n => InNetwork(address, n.Network, n.Bits));
    }

    /// <summary>Why <paramref name="url"/> cannot receive webhooks, or null when it can. Resolves its host name.</summary>
    public static async Task<string?> CheckAsync(string? url, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || url.Length > 2000)
        {
            return "Required: an absolute https URL of at most 2,000 characters.";
        }

        if (!allowPrivate && uri.Scheme != "https")
        {
            return "Must be an https URL.";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "Must not contain user information or a fragment.";
        }

        if (allowPrivate)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }

        return addresses.Length == 0 ? $"The host '{uri.Host}' does not resolve."
            : addresses.FirstOrDefault(a => !IsPublic(a)) is { } refused ? Refusal(uri.Host, refused)
            : null;
    }

    /// <summary>Connects to a checked address of the host; what the delivery client uses for every connection.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var addresses = await ResolveAsync(endpoint.Host, cancellationToken);
        if (!allowPrivate && addresses.FirstOrDefault(a => !IsPublic(a)) is { } refused)
        {
            throw new WebhookTargetRefusedException(Refusal(endpoint.Host, refused));
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

    private static string Refusal(string host, IPAddress address) =>
        $"The host '{host}' resolves to {address}, a private, loopback, link-local or reserved address; webhooks go to public addresses only.";

    private static bool InNetwork(IPAddress address, IPAddress network, int bits)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = bits / 8;
        if (!a.AsSpan(0, whole).SequenceEqual(n.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = bits % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (a[whole] & mask) == (n[whole] & mask);
    }
}

public sealed class WebhookTargetRefusedException(string message) : Exception(message);
