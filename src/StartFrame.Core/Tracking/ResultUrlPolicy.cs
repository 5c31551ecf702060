using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace StartFrame.Core.Tracking;

/// <summary>
/// Where a result URL (or a redirect it answers) may lead: https to a public address, nothing else. The provider chooses
/// the URL, so a <c>file://</c> path, an internal http service or the cloud's metadata endpoint (169.254.169.254) are
/// refused before a request is made, and the address a name resolves to is checked again as the connection is opened
/// (<see cref="ConnectAsync"/>), so a name that resolves to a private address is refused too. Only
/// <see cref="StartFrameOptions.AllowLoopbackResultUrls"/> (the simulator: local development and tests) lets http and
/// loopback through; private and link-local addresses never pass.
/// </summary>
public sealed class ResultUrlPolicy(IOptions<StartFrameOptions> options)
{
    private bool AllowLoopback => options.Value.AllowLoopbackResultUrls;

    /// <summary>Why <paramref name="url"/> must not be fetched, or null when it may be.</summary>
    public string? Problem(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return "it is not an absolute URL";
        }

        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && AllowLoopback))
        {
            return url.Scheme == Uri.UriSchemeHttp
                ? "it is http; only https is fetched (StartFrame__AllowLoopbackResultUrls allows http for local development)"
                : $"its scheme is '{url.Scheme}'; only https is fetched";
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "it carries a user name or password";
        }

        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address))
        {
            return AddressProblem(address);
        }

        return url.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || url.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? AllowLoopback ? null : "it names localhost"
            : null;
    }

    /// <summary>Why a connection to <paramref name="address"/> must not be opened, or null when it may.</summary>
    public string? AddressProblem(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return AllowLoopback ? null : $"it leads to the loopback address {address}";
        }

        return IsInternal(address) ? $"it leads to the private, link-local or reserved address {address}" : null;
    }

    /// <summary>The download client's connect step: resolves the host and connects only to an address that passes
    /// <see cref="AddressProblem"/>, so what is checked is what is connected to.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(a => AddressProblem(a) is null).ToList();
        if (allowed.Count == 0)
        {
            throw new ForbiddenResultAddressException(addresses.Length == 0
                ? $"{host} resolves to no address"
                : $"{host} {AddressProblem(addresses[0])}");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The handler of the download client: no automatic redirects (the copier checks each hop), no proxy (the
    /// address checked must be the one connected to), connections only through <see cref="ConnectAsync"/>.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectCallback = ConnectAsync,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private static bool IsInternal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or >= 224 => true,                   // "this" network, private, multicast and reserved
                100 => b[1] is >= 64 and <= 127,             // carrier-grade NAT
                169 => b[1] == 254,                          // link-local, the metadata endpoint among them
                172 => b[1] is >= 16 and <= 31,              // private
                192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99), // private, IETF, TEST-NET-1, 6to4 relay
                198 => b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100), // benchmarking, TEST-NET-2
                203 => b[1] == 0 && b[2] == 113,             // TEST-NET-3
                _ => false,
            };
        }

        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        var bytes = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (bytes[0] & 0xFE) == 0xFC                                   // unique local fc00::/7
            || address.IsIPv6Teredo || (bytes[0] == 0x20 && bytes[1] == 0x02) // tunnels that embed an IPv4 address
            || (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B); // NAT64
    }
}

/// <summary>A result URL's host resolved only to addresses <see cref="ResultUrlPolicy"/> refuses: nothing was connected to.</summary>
public sealed class ForbiddenResultAddressException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ForbiddenResultAddressException()
    {
    }

    /// <summary>Creates the exception with why the address was refused.</summary>
    public ForbiddenResultAddressException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with why, and what caused it.</summary>
    public ForbiddenResultAddressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
