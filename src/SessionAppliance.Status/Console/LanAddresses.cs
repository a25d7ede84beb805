using System.Net;
using System.Net.Sockets;

namespace SessionAppliance.Status.Console;

/// <summary>
/// Who may see the console: the board itself, private (RFC 1918), link-local and IPv6 unique-local addresses.
/// The firewall says the same; this is the second wall, for a board behind a router that forwards everything.
/// </summary>
public static class LanAddresses
{
    public static bool IsLan(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
        }

        return address.IsIPv6LinkLocal || address.IsIPv6UniqueLocal;
    }
}
