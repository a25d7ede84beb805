namespace SessionAppliance.Node.Storage;

/// <summary>
/// The store's size cap. Unset (0), it is 3.5 GiB or half of the space the store could use (free space plus
/// what it already holds), whichever is smaller, decided once at start so the cap does not move underfoot. What
/// counts against it is the live messages (<see cref="CostOf"/>), not the file: a deleted or expired message makes
/// room at once, and LiteDB reuses the pages it freed.
/// </summary>
public static class StorageCapacity
{
    public const long Ceiling = 3_758_096_384;

    /// <summary>
    /// What a message costs on top of its data: its hash, keys, timestamps and pack entry, and the share of a page
    /// left unfilled (1 KB messages measured 1,181 bytes each on disk after churn, docs/benchmarks.md).
    /// </summary>
    public const int OverheadPerMessage = 160;

    public static long CostOf(StoredMessage message) => CostOf(message.Data.Length);

    public static long CostOf(int dataLength) => dataLength + OverheadPerMessage;

    public static long Resolve(long configuredBytes, string storePath, long storeBytes)
    {
        if (configuredBytes > 0)
        {
            return configuredBytes;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(storePath))!;
        Identity.OwnerOnlyFiles.EnsureDirectory(directory);
        return Automatic(new DriveInfo(directory).AvailableFreeSpace, storeBytes);
    }

    public static long Automatic(long freeBytes, long storeBytes) => Math.Min(Ceiling, (freeBytes + storeBytes) / 2);

    /// <summary>
    /// Managed memory a stored message keeps, rounded up: the index and its share of LiteDB's and the runtime's
    /// structures measured about 190 bytes a message in a store of a million, just opened (docs/benchmarks.md).
    /// </summary>
    public const int MemoryPerMessage = 256;

    /// <summary>The message-count cap: the configured one, or as many as half of <paramref name="memoryLimitBytes"/> holds.</summary>
    public static long ResolveMaxMessages(long configured, long memoryLimitBytes) =>
        configured > 0 ? configured : memoryLimitBytes / 2 / MemoryPerMessage;
}
