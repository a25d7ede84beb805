using CsCheck;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Protocol.Tests.Properties;

/// <summary>The swarm map (spec §5.2 at rest) for any list: total, balanced, and the same on every machine.</summary>
public class SwarmMapProperties
{
    private static readonly Gen<ServiceNode> Node = Gen.Byte.Array[32].Select(key =>
        new ServiceNode(key, new byte[32], "203.0.113.1", 22021, 22020, SwarmSpace.InvalidSwarmId));

    private static readonly Gen<(ServiceNode[] Nodes, byte[] Seed)> Lists = Gen.Select(Node.Array[1, 60], Gen.Byte.Array[32]);

    [Fact]
    public void Every_node_gets_a_swarm_of_the_ones_the_map_names()
    {
        Lists.Sample((nodes, seed) =>
        {
            var assigned = SwarmMap.Assign(nodes, seed);
            var ids = SwarmMap.SwarmIds(assigned.Select(n => n.SwarmId).Distinct().Count(), seed);
            return assigned.Count == nodes.Length && assigned.All(n => ids.Contains(n.SwarmId));
        });
    }

    [Fact]
    public void The_map_does_not_depend_on_the_order_of_the_list()
    {
        Gen.Select(Lists, Gen.Int).Sample((list, shuffleSeed) =>
        {
            var (nodes, seed) = list;
            var shuffled = nodes.OrderBy(_ => new Random(shuffleSeed).Next()).ToArray();
            var first = SwarmMap.Assign(nodes, seed).ToDictionary(n => n.Ed25519Hex, n => n.SwarmId);
            return SwarmMap.Assign(shuffled, seed).All(n => first[n.Ed25519Hex] == n.SwarmId);
        });
    }

    [Fact]
    public void Swarms_are_balanced_and_never_below_five_once_there_are_five_nodes()
    {
        Lists.Sample((nodes, seed) =>
        {
            var distinct = nodes.DistinctBy(n => n.Ed25519Hex).ToList();
            var sizes = SwarmMap.Assign(distinct, seed).GroupBy(n => n.SwarmId).Select(g => g.Count()).ToList();
            return sizes.Max() - sizes.Min() <= 1 && (distinct.Count < SwarmMap.MinSwarmSize || sizes.Min() >= SwarmMap.MinSwarmSize);
        });
    }

    [Fact]
    public void Every_account_lands_in_a_swarm_that_exists()
    {
        Gen.Select(Lists, Gen.Byte.Array[33]).Sample((list, accountBytes) =>
        {
            var ids = SwarmMap.Assign(list.Nodes, list.Seed).Select(n => n.SwarmId).Distinct().Order().ToList();
            var position = SwarmSpace.PositionOf(Protocol.Accounts.AccountId.FromBytes(accountBytes));
            return ids.Contains(SwarmSpace.NearestSwarm(position, ids));
        });
    }

    [Fact]
    public void Node_keys_are_accepted_as_given()
    {
        // Sanity for the generator: ServiceNode accepts any 32 bytes as an Ed25519 key for mapping purposes.
        Assert.Equal(64, new ServiceNode(Ed25519.Generate().PublicKey, new byte[32], "203.0.113.1", 1, 0, 0).Ed25519Hex.Length);
    }
}
