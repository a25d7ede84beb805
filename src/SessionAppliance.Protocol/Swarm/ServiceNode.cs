using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Swarm;

/// <summary>One entry of the node list: identity, contact details and swarm (spec §5.3).</summary>
public sealed record ServiceNode(byte[] Ed25519PublicKey, byte[] X25519PublicKey, string PublicIp, int HttpsPort, int OmqPort, ulong SwarmId)
{
    public string Ed25519Hex => HexText.Encode(Ed25519PublicKey);

    public string X25519Hex => HexText.Encode(X25519PublicKey);

    /// <summary>Our nodes have no Monero-style key, so the legacy key is the Ed25519 key, as oxend does then.</summary>
    public byte[] LegacyPublicKey => Ed25519PublicKey;

    /// <summary>The ".snode" address clients show: z-base-32 of the legacy key.</summary>
    public string SnodeAddress => Base32z.Encode(LegacyPublicKey) + ".snode";

    public bool IsDecommissioned => SwarmId == SwarmSpace.InvalidSwarmId;
}
