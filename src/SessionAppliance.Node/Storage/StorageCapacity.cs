namespace SessionAppliance.Node.Storage;

/// <summary>
/// The store's size cap. Unset (0), it is 3.5 GiB or half of the space the store could use (free space plus
/// what it already holds), whichever is smaller, decided once at start so the cap does not move underfoot.
/// </summary>
public static class StorageCapacity
{
    public const long Ceiling = 3_758_096_384;

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
}
