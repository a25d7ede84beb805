using System.Buffers.Binary;
using System.Text;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Protocol.Swarm;

/// <summary>
/// Our own node → swarm map (spec §5.2: "a C#-only network may assign ids itself; every node and client must just see
/// the same map"). Stateless: the map follows from the current node list and a shared seed alone, so any node can
/// compute it without history. It reproduces where §5.2's rules come to rest (balanced swarms of at least 5), not
/// oxend's block-by-block random walk.
/// </summary>
public static class SwarmMap
{
    public const int MinSwarmSize = 5;
    public const int NewSwarmSize = 7;
    public const int IdealSwarmMargin = 2;

    private static readonly byte[] IdDomain = Encoding.ASCII.GetBytes("session-appliance swarm ids");

    /// <summary>
    /// Assigns every node a swarm id from the list alone and a shared seed value; the nodes' own SwarmId is ignored.
    /// Returns the same nodes (<c>node with { SwarmId = ... }</c>) in the input order. Same set of nodes + same seed
    /// gives the same map, whatever the input order, on every machine. Copies of one Ed25519 key count as one node:
    /// every copy gets that node's swarm id.
    /// </summary>
    public static IReadOnlyList<ServiceNode> Assign(IReadOnlyList<ServiceNode> nodes, ReadOnlySpan<byte> seed)
    {
        var keys = DistinctKeys(nodes);
        if (keys.Count == 0)
        {
            return [];
        }

        var ids = SwarmIds(SwarmCount(keys.Count), seed);
        var swarmOfKey = Place(keys, ids, seed.ToArray());
        var result = new ServiceNode[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            result[i] = nodes[i] with { SwarmId = swarmOfKey[nodes[i].Ed25519Hex] };
        }

        return result;
    }

    /// <summary>The swarm ids a network of <paramref name="count"/> swarms uses, ascending (exposed for tests and docs).</summary>
    public static IReadOnlyList<ulong> SwarmIds(int count, ReadOnlySpan<byte> seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ids = new List<ulong>(count);
        if (count == 0)
        {
            return ids;
        }

        ids.Add(Valid(LeadingWord(Blake2b.Hash256([.. seed, .. IdDomain]))));
        while (ids.Count < count)
        {
            // §5.2: a new swarm takes the midpoint of the widest gap, so earlier ids never move.
            var (start, width) = WidestGap(ids);
            var midpoint = unchecked(start + (ulong)(width / 2));
            ids.Insert(LowerBound(ids, midpoint), Valid(midpoint));
        }

        return ids;
    }

    /// <summary>
    /// §5.2 carves a new swarm of 7 once the excess above MinSwarmSize across S swarms reaches
    /// NewSwarmSize + IdealSwarmMargin·S: N − 5S ≥ 7 + 2S ⇔ N ≥ 7(S+1). Starving swarms are refilled from large ones,
    /// so at rest there are max(1, N / 7) swarms of balanced size.
    /// </summary>
    private static int SwarmCount(int nodeCount) => Math.Max(1, nodeCount / NewSwarmSize);

    /// <summary>
    /// Balanced sizes (q or q+1, exactly r swarms of q+1) with rendezvous hashing for stability: each node takes its
    /// best-scoring swarm that still has room, in an order fixed by the keys, so one join or leave moves few nodes.
    /// Total room is S·q + r = N, so every node finds a place.
    /// </summary>
    private static Dictionary<string, ulong> Place(List<ServiceNode> keys, IReadOnlyList<ulong> ids, byte[] seed)
    {
        var quota = keys.Count / ids.Count;
        var remainder = keys.Count % ids.Count;
        var sizes = new int[ids.Count];
        var oversized = 0;
        var placed = new Dictionary<string, ulong>(keys.Count);
        foreach (var node in InPlacementOrder(keys, seed))
        {
            foreach (var s in RankSwarms(node.Ed25519PublicKey, ids, seed))
            {
                if (sizes[s] < quota || (sizes[s] == quota && oversized < remainder))
                {
                    if (++sizes[s] == quota + 1)
                    {
                        oversized++;
                    }

                    placed[node.Ed25519Hex] = ids[s];
                    break;
                }
            }
        }

        return placed;
    }

    /// <summary>Ascending BLAKE2b-256(seed ‖ key): an order no input order or machine can change.</summary>
    private static IEnumerable<ServiceNode> InPlacementOrder(List<ServiceNode> keys, byte[] seed)
    {
        var ranked = keys.Select(n => (Node: n, Rank: Blake2b.Hash256([.. seed, .. n.Ed25519PublicKey]))).ToArray();
        Array.Sort(ranked, (a, b) => a.Rank.AsSpan().SequenceCompareTo(b.Rank));
        return ranked.Select(r => r.Node);
    }

    /// <summary>Swarm indexes by rendezvous score u64le(BLAKE2b-256(seed ‖ key ‖ u64be(id))), highest first.</summary>
    private static int[] RankSwarms(byte[] key, IReadOnlyList<ulong> ids, byte[] seed)
    {
        byte[] input = [.. seed, .. key, .. new byte[8]];
        var scores = new ulong[ids.Count];
        var order = new int[ids.Count];
        for (var s = 0; s < ids.Count; s++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(^8), ids[s]);
            scores[s] = LeadingWord(Blake2b.Hash256(input));
            order[s] = s;
        }

        // Equal scores (practically never) fall back to the lower swarm id, which is the lower index.
        Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        return order;
    }

    private static List<ServiceNode> DistinctKeys(IReadOnlyList<ServiceNode> nodes)
    {
        var seen = new HashSet<string>();
        return nodes.Where(n => seen.Add(n.Ed25519Hex)).ToList();
    }

    /// <summary>Gap after each id up to the next one, wrapping; ties go to the gap starting at the lowest id.</summary>
    private static (ulong Start, UInt128 Width) WidestGap(List<ulong> sortedIds)
    {
        var best = (Start: sortedIds[0], Width: UInt128.Zero);
        for (var i = 0; i < sortedIds.Count; i++)
        {
            var start = sortedIds[i];
            // One id: the gap is the whole ring, 2^64.
            UInt128 width = sortedIds.Count == 1 ? (UInt128)1 << 64 : unchecked(sortedIds[(i + 1) % sortedIds.Count] - start);
            if (width > best.Width)
            {
                best = (start, width);
            }
        }

        return best;
    }

    /// <summary>§5.1: 0xffff…ff means "no swarm", so it is never handed out.</summary>
    private static ulong Valid(ulong id) => id == SwarmSpace.InvalidSwarmId ? SwarmSpace.InvalidSwarmId - 1 : id;

    /// <summary>First 8 bytes of a hash as a little-endian u64.</summary>
    private static ulong LeadingWord(byte[] hash) => BinaryPrimitives.ReadUInt64LittleEndian(hash);

    private static int LowerBound(List<ulong> sorted, ulong value)
    {
        var index = sorted.BinarySearch(value);
        return index < 0 ? ~index : index;
    }
}
