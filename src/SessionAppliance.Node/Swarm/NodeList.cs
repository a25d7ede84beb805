using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// An immutable node list with its swarm index. A node alone forms swarm 0, which then owns every account;
/// later sources (seeds, oxend) replace the list as a whole.
/// </summary>
public sealed class NodeList : INetworkView
{
    private readonly ulong[] _sortedSwarmIds;
    private readonly Dictionary<ulong, ServiceNode[]> _members;
    private string? _digest;
    private HashSet<System.Net.IPAddress>? _addresses;

    public NodeList(ServiceNode self, IReadOnlyList<ServiceNode> nodes, long height, byte[]? blockHash = null)
    {
        Self = self;
        Nodes = nodes;
        Height = height;
        BlockHash = blockHash ?? [];
        _members = nodes.Where(n => !n.IsDecommissioned).GroupBy(n => n.SwarmId).ToDictionary(g => g.Key, g => g.ToArray());
        _sortedSwarmIds = [.. _members.Keys.Order()];
    }

    public ServiceNode Self { get; }

    public IReadOnlyList<ServiceNode> Nodes { get; }

    public long Height { get; }

    public byte[] BlockHash { get; }

    public static NodeList Alone(ServiceNode self) => new(self, [self], height: 1);

    public SwarmAssignment SwarmOf(AccountId account)
    {
        var id = SwarmSpace.NearestSwarm(SwarmSpace.PositionOf(account), _sortedSwarmIds);
        return _members.TryGetValue(id, out var members) ? new SwarmAssignment(id, members) : new SwarmAssignment(SwarmSpace.InvalidSwarmId, []);
    }

    /// <summary>A short digest of who is in which swarm; equal digests mean two nodes agree on the map.</summary>
    public string Digest => _digest ??= ComputeDigest(Nodes);

    /// <summary>The digest of any view; a <see cref="NodeList"/> computes its own once (it never changes).</summary>
    public static string MapDigest(INetworkView view) => view is NodeList list ? list.Digest : ComputeDigest(view.Nodes);

    private static string ComputeDigest(IReadOnlyList<ServiceNode> nodes)
    {
        var lines = nodes.Select(n => n.Ed25519Hex + ":" + n.SwarmId.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal);
        var digest = Protocol.Crypto.Blake2b.Hash256(System.Text.Encoding.ASCII.GetBytes(string.Join("\n", lines)));
        return Protocol.Codecs.HexText.Encode(digest.AsSpan(0, 8));
    }

    public bool ListsAddress(System.Net.IPAddress address)
    {
        _addresses ??= [.. Nodes.Select(n => System.Net.IPAddress.TryParse(n.PublicIp, out var ip) ? ip : null).OfType<System.Net.IPAddress>()];
        return _addresses.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    public ServiceNode? FindByEd25519(ReadOnlySpan<byte> ed25519PublicKey)
    {
        foreach (var node in Nodes)
        {
            if (node.Ed25519PublicKey.AsSpan().SequenceEqual(ed25519PublicKey))
            {
                return node;
            }
        }

        return null;
    }
}
