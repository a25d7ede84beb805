using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Client.Onion;

/// <summary>A node on an onion path: named by its Ed25519 key, encrypted to by its X25519 key.</summary>
public sealed record OnionHop(byte[] Ed25519, byte[] X25519)
{
    public static OnionHop Of(ServiceNode node) => new(node.Ed25519PublicKey, node.X25519PublicKey);
}

/// <summary>An external Session server (open group, file server) reached through the last hop's proxy.</summary>
public sealed record OnionServerTarget(string Host, string Target, string Protocol, int Port, byte[] X25519);
