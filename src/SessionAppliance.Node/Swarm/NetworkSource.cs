using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// Holds the current network view. A fixed list or a lone node never changes; with seeds or oxend the
/// <see cref="NetworkRefresher"/> replaces the view as a whole and <see cref="Changed"/> tells those who move
/// messages when swarms change.
/// </summary>
public sealed class NetworkSource : INetworkViewSource
{
    private volatile INetworkView _current;

    public NetworkSource(INetworkView initial) => _current = initial;

    /// <summary>Old and new view, raised after the swap.</summary>
    public event Action<INetworkView, INetworkView>? Changed;

    public INetworkView Current => _current;

    public void Replace(INetworkView next)
    {
        var previous = _current;
        _current = next;
        Changed?.Invoke(previous, next);
    }

    public static NetworkSource Create(NodeKeys keys, NodeOptions node, NetworkOptions network)
    {
        var self = SelfOf(keys, node, SwarmSpace.InvalidSwarmId);
        if (network.IsDynamic)
        {
            // Until the first list arrives the node is in no swarm: it answers 421 with no members and says it is not ready.
            return new NetworkSource(new NodeList(self, [self], height: 0));
        }

        var listed = network.Nodes.Select(ToServiceNode).ToList();
        var listedSelf = listed.FirstOrDefault(n => n.Ed25519PublicKey.AsSpan().SequenceEqual(keys.Ed25519.PublicKey));
        if (listedSelf is null)
        {
            listedSelf = self with { SwarmId = 0 };
            listed.Add(listedSelf);
        }

        return new NetworkSource(new NodeList(listedSelf, listed, height: 1));
    }

    public static ServiceNode SelfOf(NodeKeys keys, NodeOptions node, ulong swarmId) =>
        new(keys.Ed25519.PublicKey, keys.X25519PublicKey, node.AdvertisedIp(), node.HttpsPort, node.OmqPort, swarmId);

    private static ServiceNode ToServiceNode(StaticNode entry)
    {
        var ed25519 = HexText.Decode(entry.Ed25519);
        Ed25519.TryToX25519PublicKey(ed25519, out var x25519);
        return new ServiceNode(ed25519, x25519, entry.Ip, entry.HttpsPort, entry.OmqPort, entry.SwarmId);
    }
}
