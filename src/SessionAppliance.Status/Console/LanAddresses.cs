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

    /// <summary>
    /// Whether the Host a browser asked for is this board: an address, "localhost", or a ".local" name of the
    /// board's (its own host name, or the console's alias session-node[-N]). Anything else is another site's
    /// name pointed at this board (DNS rebinding).
    /// </summary>
    public static bool IsConsoleHost(string host, string machineName)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out _) || host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var name = host.TrimEnd('.');
        if (!name.EndsWith(".local", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        name = name[..^".local".Length];
        return name.Equals(machineName, StringComparison.OrdinalIgnoreCase) || name.Equals("session-node", StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("session-node-", StringComparison.OrdinalIgnoreCase) && name.Length <= "session-node-".Length + 4);
    }
}
