using System.Security.Cryptography;
using LiteDB;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The index as a clean stop left it (<c>messages.db.index</c>), so the next start reads a few megabytes instead of
/// scanning every pack. It is used only while it provably matches the store: a random token is committed into the
/// store when the snapshot is written and replaced when it is read, so a snapshot older or newer than the store's
/// last writes, or from another store, never matches. After a crash there is no valid snapshot and the node scans.
/// The files' lengths and write times are kept too, so a file truncated or edited while the node was stopped is
/// scanned (and refused as damaged) as before. Layout: magic, token, the stamps, newest pack id, <see cref="MessageIndex.WriteTo"/>, then SHA-256 of all that.
/// </summary>
internal static class IndexSnapshot
{
    private const string Collection = "index_snapshot";
    private const int TokenLength = 16;
    private const int HashLength = 32;
    private static readonly byte[] Magic = "SAIX0001"u8.ToArray();

    public static string PathOf(string storePath) => storePath + ".index";

    /// <summary>At a clean stop, after the last commit: a fresh token, durably in the store, for <see cref="Write"/>.</summary>
    public static byte[] NewToken(StoreFile file)
    {
        var token = RandomNumberGenerator.GetBytes(TokenLength);
        SetToken(file, token);
        return token;
    }

    /// <summary>Written once the store file is closed, with the files' sizes and times as the close left them.</summary>
    public static long Write(string storePath, byte[] token, MessageIndex index, long lastPackId)
    {
        var path = PathOf(storePath);
        var temporary = path + ".new";
        using (var stream = Identity.OwnerOnlyFiles.Open(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var hashing = new HashingWriteStream(new BufferedStream(stream, 1 << 16)))
            using (var writer = new BinaryWriter(hashing, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(token);
                StampOf(storePath).WriteTo(writer);
                writer.Write(lastPackId);
                index.WriteTo(writer);
                writer.Flush();
                hashing.WriteHash();
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return new FileInfo(path).Length;
    }

    /// <summary>The store's files as they are on the card, taken before the store is opened.</summary>
    public static StoreStamp StampOf(string storePath) => new(FileStamp.Of(storePath), FileStamp.Of(StoreFile.LogPathOf(storePath)));

    /// <summary>
    /// The snapshot's index if it matches the store, else null with the reason. Either way the file is gone
    /// afterwards, and a used snapshot's token is replaced in the store before any write can follow.
    /// </summary>
    public static MessageIndex? TryLoad(StoreFile file, StoreStamp before, out long lastPackId, out string reason)
    {
        lastPackId = 0;
        var path = PathOf(file.Path);
        if (!File.Exists(path))
        {
            reason = "no snapshot from a clean stop";
            return null;
        }

        try
        {
            if (!HashMatches(path))
            {
                reason = "the snapshot's checksum does not match (damaged)";
                return null;
            }

            using var reader = new BinaryReader(new BufferedStream(File.OpenRead(path), 1 << 16));
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                reason = "the snapshot is of an unknown format";
                return null;
            }

            var token = reader.ReadBytes(TokenLength);
            var expected = file.Database.GetCollection(Collection).FindById(1)?["t"];
            if (expected is null || !expected.IsBinary || !expected.AsBinary.AsSpan().SequenceEqual(token))
            {
                reason = "the snapshot does not match the store (the node did not stop cleanly after its last write)";
                return null;
            }

            if (StoreStamp.ReadFrom(reader) != before)
            {
                reason = "the store's files changed after the snapshot was written";
                return null;
            }

            lastPackId = reader.ReadInt64();
            var index = MessageIndex.ReadFrom(reader);
            SetToken(file, RandomNumberGenerator.GetBytes(TokenLength));
            reason = "";
            return index;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or FormatException or ArgumentException)
        {
            reason = $"the snapshot could not be read ({error.Message})";
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A file's length and last write time: a truncated, replaced or edited file no longer matches.</summary>
    public readonly record struct FileStamp(long Length, long WriteTicks)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new(info.Length, info.LastWriteTimeUtc.Ticks) : default;
        }
    }

    /// <summary>The data file's and the log's stamps.</summary>
    public readonly record struct StoreStamp(FileStamp Data, FileStamp Log)
    {
        public void WriteTo(BinaryWriter writer)
        {
            writer.Write(Data.Length);
            writer.Write(Data.WriteTicks);
            writer.Write(Log.Length);
            writer.Write(Log.WriteTicks);
        }

        public static StoreStamp ReadFrom(BinaryReader reader) =>
            new(new(reader.ReadInt64(), reader.ReadInt64()), new(reader.ReadInt64(), reader.ReadInt64()));
    }

    private static void SetToken(StoreFile file, byte[] token)
    {
        file.Database.GetCollection(Collection).Upsert(new BsonDocument { ["_id"] = 1, ["t"] = token });
        file.MakeCommitsDurable();
    }

    private static bool HashMatches(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length < Magic.Length + TokenLength + HashLength)
        {
            return false;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        for (var left = stream.Length - HashLength; left > 0;)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                return false;
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }

        Span<byte> stored = stackalloc byte[HashLength];
        stream.ReadExactly(stored);
        return hash.GetHashAndReset().AsSpan().SequenceEqual(stored);
    }

    /// <summary>Passes writes through while hashing them; <see cref="WriteHash"/> appends the hash itself.</summary>
    private sealed class HashingWriteStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void WriteHash()
        {
            inner.Write(_hash.GetHashAndReset());
            inner.Flush();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        /// <summary>Leaves the inner stream open: the file is synced after the hash is written.</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
