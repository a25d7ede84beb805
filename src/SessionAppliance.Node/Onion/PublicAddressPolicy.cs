using System.Net;
using System.Net.Sockets;

namespace SessionAppliance.Node.Onion;

/// <summary>
/// Decides whether an address is on the public internet. A home node must never proxy into its owner's
/// network: loopback, private, link-local, carrier-grade NAT, unique-local, multicast and reserved ranges
/// are all refused, for IPv4, IPv6 and IPv4-mapped IPv6 alike.
/// </summary>
public static class PublicAddressPolicy
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address),
            _ => false,
        };
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] == 0                                   // "this" network
        || b[0] == 10                               // private
        || b[0] == 127                              // loopback
        || (b[0] == 100 && (b[1] & 0xC0) == 64)     // carrier-grade NAT 100.64/10
        || (b[0] == 169 && b[1] == 254)             // link-local
        || (b[0] == 172 && (b[1] & 0xF0) == 16)     // private 172.16/12
        || (b[0] == 192 && b[1] == 168)             // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)  // IETF protocol assignments
        || (b[0] == 198 && (b[1] & 0xFE) == 18)     // benchmarking 198.18/15
        || b[0] >= 224);                            // multicast, reserved, broadcast

    private static bool IsPublicV6(IPAddress address)
    {
        if (IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6Any.Equals(address)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }

        var b = address.GetAddressBytes();
        var isIpv4Compatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        var isNat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b;
        return !isIpv4Compatible && (!isNat64 || IsPublicV4(b[12..]));
    }
}
