namespace SessionAppliance.Status.Console;

/// <summary>
/// One sample of the node's running totals. Totals, not rates: two points give the rate between them, and a
/// total that went down means the node restarted (or a bandwidth period began) in between.
/// </summary>
public readonly record struct HistoryPoint(
    long UnixSeconds, long Messages, long StoreFileBytes, long IngressBytes, long EgressBytes, long CountedBytes,
    long Stores, long Retrieves, long OtherClient, long Onion, long Swarm)
{
    public const int FieldCount = 11;

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds);

    public long this[int field] => field switch
    {
        0 => UnixSeconds,
        1 => Messages,
        2 => StoreFileBytes,
        3 => IngressBytes,
        4 => EgressBytes,
        5 => CountedBytes,
        6 => Stores,
        7 => Retrieves,
        8 => OtherClient,
        9 => Onion,
        10 => Swarm,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static HistoryPoint FromFields(ReadOnlySpan<long> f) => new(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]);
}
