using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>A node list as a seed or oxend served it: the nodes, the list's height and its block hash (our seeds: the swarm seed value).</summary>
public sealed record FetchedNodeList(IReadOnlyList<ServiceNode> Nodes, long Height, byte[] BlockHash, string Source);
