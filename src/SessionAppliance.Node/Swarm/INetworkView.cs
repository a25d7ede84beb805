using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>This node's view of the network: the node list and which swarm owns which account.</summary>
public interface INetworkView
{
    ServiceNode Self { get; }

    IReadOnlyList<ServiceNode> Nodes { get; }

    /// <summary>Block height of the list; our own networks count list revisions.</summary>
    long Height { get; }

    /// <summary>The list's block hash; on our own networks, the shared value the swarm map is computed with.</summary>
    byte[] BlockHash { get; }

    /// <summary>The swarm that owns <paramref name="account"/> and its members (spec §5.1).</summary>
    SwarmAssignment SwarmOf(AccountId account);

    ServiceNode? FindByEd25519(ReadOnlySpan<byte> ed25519PublicKey);

    /// <summary>Whether a listed node advertises <paramref name="address"/> (IPv4-mapped addresses count as IPv4).</summary>
    bool ListsAddress(System.Net.IPAddress address);
}

/// <summary>A swarm id and its members; <see cref="SwarmSpace.InvalidSwarmId"/> with no members when there are no swarms.</summary>
public sealed record SwarmAssignment(ulong SwarmId, IReadOnlyList<ServiceNode> Members);
