using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// A seed's node list: itself plus every node that registered within the last three refresh intervals. The
/// height counts changes, so a node can tell the list moved on.
/// </summary>
public sealed class SeedRegistry(ServiceNode self, TimeSpan refreshInterval, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (ServiceNode Node, DateTimeOffset Seen)> _nodes = new(StringComparer.Ordinal);
    private long _height = 1;

    public TimeSpan Lifetime => refreshInterval * 3;

    public void Register(ServiceNode node)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(node.Ed25519Hex, out var known) || known.Node.PublicIp != node.PublicIp || known.Node.HttpsPort != node.HttpsPort || known.Node.OmqPort != node.OmqPort)
            {
                _height++;
            }

            _nodes[node.Ed25519Hex] = (node, time.GetUtcNow());
        }
    }

    /// <summary>The live list (silent nodes dropped), ordered by key, and its height.</summary>
    public (IReadOnlyList<ServiceNode> Nodes, long Height) Current()
    {
        lock (_lock)
        {
            var cutoff = time.GetUtcNow() - Lifetime;
            var expired = _nodes.Where(n => n.Value.Seen < cutoff && n.Key != self.Ed25519Hex).Select(n => n.Key).ToList();
            foreach (var key in expired)
            {
                _nodes.Remove(key);
                _height++;
            }

            _nodes[self.Ed25519Hex] = (self, time.GetUtcNow());
            return ([.. _nodes.Values.Select(v => v.Node).OrderBy(n => n.Ed25519Hex, StringComparer.Ordinal)], _height);
        }
    }
}
