namespace SessionAppliance.Node.Storage;

/// <summary>
/// An unbuffered, exclusively locked file under LiteDB that counts its syncs. For the write-ahead log
/// <c>syncOnFlush</c> is off: LiteDB's background writer flushes whenever its queue runs dry, which can be
/// several times per commit; the store calls <see cref="Sync"/> once per commit instead.
/// </summary>
internal sealed class MeteredFileStream(FileStream file, DiskWriteMeter meter, bool syncOnFlush) : Stream
{
    public override bool CanRead => file.CanRead;

    public override bool CanSeek => file.CanSeek;

    public override bool CanWrite => file.CanWrite;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => file.Position = value;
    }

    public static FileStream OpenExclusive(string path) =>
        Identity.OwnerOnlyFiles.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) => file.Write(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

    public override void SetLength(long value) => file.SetLength(value);

    public override void Flush()
    {
        if (syncOnFlush)
        {
            Sync();
        }
    }

    /// <summary>Forces everything written so far onto the card (fsync). LiteDB locks on this object too.</summary>
    public void Sync()
    {
        lock (this)
        {
            file.Flush(flushToDisk: true);
        }

        meter.AddSync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
