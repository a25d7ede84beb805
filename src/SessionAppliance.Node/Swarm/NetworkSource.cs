using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>Builds the network view from configuration: this node alone, or a fixed list that includes it.</summary>
public sealed class NetworkSource(INetworkView current) : INetworkViewSource
{
    public INetworkView Current { get; } = current;

    public static NetworkSource Create(NodeKeys keys, NodeOptions node, NetworkOptions network)
    {
        var listed = network.Nodes.Select(ToServiceNode).ToList();
        var self = listed.FirstOrDefault(n => n.Ed25519PublicKey.AsSpan().SequenceEqual(keys.Ed25519.PublicKey))
            ?? new ServiceNode(keys.Ed25519.PublicKey, keys.X25519PublicKey, node.AdvertisedIp(), node.HttpsPort, node.OmqPort, SwarmId: 0);
        if (!listed.Contains(self))
        {
            listed.Add(self);
        }

        return new NetworkSource(new NodeList(self, listed, height: 1));
    }

    private static ServiceNode ToServiceNode(StaticNode entry)
    {
        var ed25519 = HexText.Decode(entry.Ed25519);
        Ed25519.TryToX25519PublicKey(ed25519, out var x25519);
        return new ServiceNode(ed25519, x25519, entry.Ip, entry.HttpsPort, entry.OmqPort, entry.SwarmId);
    }
}
