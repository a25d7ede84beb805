namespace SessionAppliance.Node.Storage;

/// <summary>
/// How often the store forced a flush to the card, counted at its own file streams, so the figure is exact;
/// bytes written come from the block layer's view in <see cref="ProcessIo"/>.
/// </summary>
public sealed class DiskWriteMeter
{
    private long _syncs;

    public long Syncs => Interlocked.Read(ref _syncs);

    public void AddSync() => Interlocked.Increment(ref _syncs);
}
