namespace SessionAppliance.Node.Storage;

/// <summary>
/// What the store asked the OS to write and how often it forced a flush to the card. Counted at the store's
/// own file streams, so the figures are exact; the block layer's view comes from <see cref="ProcessIo"/>.
/// </summary>
public sealed class DiskWriteMeter
{
    private long _bytesWritten;
    private long _syncs;

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public long Syncs => Interlocked.Read(ref _syncs);

    public void AddWritten(long bytes) => Interlocked.Add(ref _bytesWritten, bytes);

    public void AddSync() => Interlocked.Increment(ref _syncs);
}
