namespace SessionAppliance.Protocol.Rpc;

/// <summary>
/// How much one retrieve may return (spec §3.4 retrieve): a message count and a byte budget where each
/// message costs 100 + len(hash) + ⌊len(data)·4/3⌋. The first message is always returned.
/// </summary>
public readonly record struct RetrieveLimits(int MaxCount, long MaxBytes)
{
    public const long AbsoluteMaxBytes = 7_800_000;

    /// <summary>Builds limits from the request's values, where 0 (or absent) means "unset".</summary>
    public static RetrieveLimits FromRequest(long maxCount, long maxSize)
    {
        if (maxCount == 0 && maxSize == 0)
        {
            maxSize = -5;
        }

        var bytes = maxSize switch
        {
            < 0 => AbsoluteMaxBytes / -maxSize,
            0 => AbsoluteMaxBytes,
            _ => Math.Min(maxSize, AbsoluteMaxBytes),
        };
        var count = maxCount <= 0 || maxCount > int.MaxValue ? int.MaxValue : (int)maxCount;
        return new RetrieveLimits(count, bytes);
    }

    public static long CostOf(int hashLength, int dataLength) => 100 + hashLength + dataLength * 4L / 3;
}
