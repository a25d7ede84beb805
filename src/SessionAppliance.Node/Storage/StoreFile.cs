using LiteDB;
using LiteDB.Engine;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The LiteDB data file and its write-ahead log, opened exclusively (a second node on the same directory is
/// refused) through metered streams, with one explicit sync per commit.
/// </summary>
internal sealed class StoreFile : IDisposable
{
    private readonly MeteredFileStream _data;
    private readonly MeteredFileStream _log;
    private readonly LogWriterBarrier _barrier;
    private long _sizeBytes;

    private StoreFile(string path, MeteredFileStream data, MeteredFileStream log, LiteEngine engine)
    {
        Path = path;
        _data = data;
        _log = log;
        _barrier = new LogWriterBarrier(engine);
        // No reflection mapper is used: documents are built by hand, which keeps the node trimmable.
        Database = new LiteDatabase(engine, new BsonMapper());
        MeasureSize();
    }

    public string Path { get; }

    public LiteDatabase Database { get; }

    /// <summary>
    /// Bytes of the data file plus its log: what the store occupies on the card. The files only change in a
    /// commit, so they are measured there (and at open), not on every store.
    /// </summary>
    public long SizeBytes => Interlocked.Read(ref _sizeBytes);

    /// <summary>
    /// Kept beside the store (with the node's key) once a store exists: a store file that is then missing or empty
    /// was lost, not new, and must not silently become an empty store.
    /// </summary>
    public static string MarkerPathOf(string path) => path + ".exists";

    public static StoreFile Open(string path, DiskWriteMeter meter)
    {
        Identity.OwnerOnlyFiles.EnsureDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var file = new FileInfo(path);
        if (File.Exists(MarkerPathOf(path)) && (!file.Exists || file.Length == 0))
        {
            throw DamagedStoreException.For(path, new IOException(
                $"it is {(file.Exists ? "empty" : "missing")}, though this node had a store there ({MarkerPathOf(path)} says so)"));
        }

        MeteredFileStream? data = null;
        MeteredFileStream? log = null;
        try
        {
            data = new MeteredFileStream(MeteredFileStream.OpenExclusive(path), meter, syncOnFlush: true);
            log = new MeteredFileStream(MeteredFileStream.OpenExclusive(LogPathOf(path)), meter, syncOnFlush: false);
            var engine = new LiteEngine(new EngineSettings { DataStream = data, LogStream = log });
            if (!File.Exists(MarkerPathOf(path)))
            {
                Identity.SecretFile.WriteOnce(MarkerPathOf(path), "a message store exists beside this file\n"u8);
            }

            return new StoreFile(path, data, log, engine);
        }
        catch (IOException error) when (error.HResult == 11 || error.Message.Contains("used by another process", StringComparison.Ordinal))
        {
            data?.Dispose();
            log?.Dispose();
            throw new IOException($"{path} is in use by another process (is a second node running on this data directory?)", error);
        }
        catch (Exception error) when (DamagedStoreException.Indicates(error))
        {
            data?.Dispose();
            log?.Dispose();
            throw DamagedStoreException.For(path, error);
        }
    }

    public static string LogPathOf(string path) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? "", System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    /// <summary>Makes every committed transaction durable: waits for LiteDB's log writer, then one fsync.</summary>
    public void MakeCommitsDurable()
    {
        _barrier.WaitForQueuedPages();
        _log.Sync();
        MeasureSize();
    }

    private void MeasureSize() => Interlocked.Exchange(ref _sizeBytes, LengthOf(Path) + LengthOf(LogPathOf(Path)));

    public void Dispose()
    {
        Database.Dispose();
        _data.Dispose();
        _log.Dispose();
    }

    private static long LengthOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }
}
