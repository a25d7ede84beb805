namespace SessionAppliance.Protocol.Crypto;

/// <summary>
/// A node's identity: the Ed25519 pair and the X25519 pair derived from it (spec §7). Clients derive the
/// X25519 key from the Ed25519 one, so the node must never hold an unrelated X25519 key.
/// </summary>
public sealed class NodeKeys
{
    private NodeKeys(Ed25519KeyPair ed25519, byte[] x25519Public, byte[] x25519Secret)
    {
        Ed25519 = ed25519;
        X25519PublicKey = x25519Public;
        X25519SecretKey = x25519Secret;
    }

    public Ed25519KeyPair Ed25519 { get; }

    public byte[] X25519PublicKey { get; }

    public byte[] X25519SecretKey { get; }

    public string Ed25519Hex => Convert.ToHexStringLower(Ed25519.PublicKey);

    public string X25519Hex => Convert.ToHexStringLower(X25519PublicKey);

    public static NodeKeys FromSeed(ReadOnlySpan<byte> seed)
    {
        var ed = Crypto.Ed25519.FromSeed(seed);
        if (!Crypto.Ed25519.TryToX25519PublicKey(ed.PublicKey, out var xPub))
        {
            throw new InvalidOperationException("libsodium could not convert a freshly derived Ed25519 key");
        }

        return new NodeKeys(ed, xPub, Crypto.Ed25519.ToX25519SecretKey(ed.SecretKey));
    }

    public byte[] Sign(ReadOnlySpan<byte> message) => Crypto.Ed25519.Sign(message, Ed25519);
}
