using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// The network view of a node that knows no other node yet: it forms swarm 0 alone and so owns every
/// account. Seeds and swarm peers replace this view in a later stage.
/// </summary>
public sealed class StandaloneNetwork(NodeKeys keys, NodeOptions options) : INetworkViewSource
{
    public const ulong SwarmId = 0;

    public INetworkView Current { get; } = NodeList.Alone(new ServiceNode(
        keys.Ed25519.PublicKey, keys.X25519PublicKey, options.AdvertisedIp(), options.HttpsPort, options.OmqPort, SwarmId));
}
