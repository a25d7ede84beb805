using System.Buffers.Binary;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Protocol.Swarm;

/// <summary>The pubkey → swarm rule of spec §5.1.</summary>
public static class SwarmSpace
{
    /// <summary>Swarm id that means "no swarm" (decommissioned, or no swarms at all).</summary>
    public const ulong InvalidSwarmId = ulong.MaxValue;

    /// <summary>XOR of the four big-endian u64 chunks of the 32 key bytes.</summary>
    public static ulong PositionOf(AccountId account)
    {
        var key = account.Key;
        ulong v = 0;
        for (var i = 0; i < 32; i += 8)
        {
            v ^= BinaryPrimitives.ReadUInt64BigEndian(key[i..]);
        }

        return v;
    }

    /// <summary>Nearest swarm on the ring; ties go to the left (lower) neighbour. <paramref name="sortedIds"/> ascending.</summary>
    public static ulong NearestSwarm(ulong position, IReadOnlyList<ulong> sortedIds)
    {
        if (sortedIds.Count == 0)
        {
            return InvalidSwarmId;
        }

        if (sortedIds.Count == 1)
        {
            return sortedIds[0];
        }

        var rightIndex = LowerBound(sortedIds, position);
        if (rightIndex == sortedIds.Count)
        {
            rightIndex = 0;
        }

        var leftIndex = rightIndex == 0 ? sortedIds.Count - 1 : rightIndex - 1;
        var right = sortedIds[rightIndex];
        var left = sortedIds[leftIndex];
        var distanceRight = unchecked(right - position);
        var distanceLeft = unchecked(position - left);
        return distanceRight < distanceLeft ? right : left;
    }

    private static int LowerBound(IReadOnlyList<ulong> sorted, ulong value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
