using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The store's journal (<c>messages.db.journal</c>), where small commits go instead of LiteDB. LiteDB writes a
/// whole 8 KB page for a one-message commit, to its log and again at its checkpoint; here the commit is the
/// message's own bytes written to a file that was filled with zeros when it was made, with direct I/O (O_DIRECT)
/// and fdatasync, so no metadata changes and the card sees exactly the record's 4 KB pages. (Through the page
/// cache, a kernel that caches the file in large folios, as 6.16 and later do for ext4, writes back 64 KB for a
/// one-page change.) The packs those commits changed go to
/// LiteDB together, in one transaction, when the journal fills (<see cref="PackWriter"/>), and the journal starts
/// over. At open, whatever it still holds is replayed into LiteDB first.
/// </summary>
/// <remarks>
/// Layout: a 4 KB header (magic, generation, CRC-32 of both), then records, each starting on a 4 KB page of its
/// own (a commit rewrites no page an earlier one wrote, and a small one writes exactly one): payload length (4
/// bytes), generation (8), CRC-32 of those and the payload (4), the payload. A record counts while its generation
/// is the header's and its CRC matches; the first that does not ends the journal (a torn write, never acknowledged).
/// Starting over writes the next generation into the header, so older records never read as current.
/// </remarks>
internal sealed partial class StoreJournal : IDisposable
{
    public const int HeaderBytes = 4096;
    public const int PageBytes = 4096;
    public const int RecordHeaderBytes = 16;
    private static readonly byte[] Magic = "SAJRNL01"u8.ToArray();

    private readonly FileStream _file;
    private readonly DiskWriteMeter _meter;
    // Writes go through this handle: the file opened again with O_DIRECT, or the stream's own where the file
    // system refuses direct I/O (tmpfs, some FUSE).
    private SafeFileHandle _writes;
    private unsafe byte* _buffer;
    private int _bufferBytes;
    private long _generation;
    private long _end = HeaderBytes;

    private StoreJournal(FileStream file, DiskWriteMeter meter)
    {
        _file = file;
        _meter = meter;
        _writes = file.SafeFileHandle;
    }

    public static string PathOf(string storePath) => storePath + ".journal";

    /// <summary>The file's size: fixed when it was made (zeros), so an append never allocates.</summary>
    public long CapacityBytes => _file.Length;

    public bool IsEmpty => _end == HeaderBytes;

    /// <summary>Whether a record with this payload still fits.</summary>
    public bool Fits(int payloadBytes) => NextRecordAt + RecordHeaderBytes + payloadBytes <= _file.Length;

    private long NextRecordAt => (_end + PageBytes - 1) / PageBytes * PageBytes;

    /// <summary>
    /// Opens the journal, making it (<paramref name="capacityBytes"/> of zeros, flushed with its directory entry) if
    /// there is none. Its records are then read by <see cref="ReadRecords"/>; nothing is appended before that.
    /// </summary>
    public static StoreJournal Open(string path, long capacityBytes, DiskWriteMeter meter)
    {
        var exists = File.Exists(path) && new FileInfo(path).Length >= HeaderBytes;
        var file = Identity.OwnerOnlyFiles.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var journal = new StoreJournal(file, meter);
        try
        {
            if (!exists)
            {
                journal.Resize(capacityBytes);
            }

            journal.OpenDirect(path);
            if (!exists)
            {
                journal.WriteHeader(1);
                SyncDirectoryOf(path);
            }

            return journal;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The current generation's records, oldest first; appends continue after the last.</summary>
    public List<byte[]> ReadRecords()
    {
        var header = new byte[HeaderBytes];
        RandomAccess.Read(_file.SafeFileHandle, header, 0);
        if (!header.AsSpan(0, Magic.Length).SequenceEqual(Magic)
            || Crc32.HashToUInt32(header.AsSpan(0, 16)) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)))
        {
            throw new InvalidDataException($"{_file.Name}: the journal's header is damaged");
        }

        _generation = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
        var records = new List<byte[]>();
        var head = new byte[RecordHeaderBytes];
        _end = HeaderBytes;
        for (var at = NextRecordAt; at + RecordHeaderBytes <= _file.Length && RandomAccess.Read(_file.SafeFileHandle, head, at) == RecordHeaderBytes; at = NextRecordAt)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(head);
            if (length <= 0 || BinaryPrimitives.ReadInt64LittleEndian(head.AsSpan(4)) != _generation || at + RecordHeaderBytes + length > _file.Length)
            {
                break;
            }

            var payload = new byte[length];
            if (RandomAccess.Read(_file.SafeFileHandle, payload, at + RecordHeaderBytes) != length || Checksum(head, payload) != BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12)))
            {
                break;
            }

            records.Add(payload);
            _end = at + RecordHeaderBytes + length;
        }

        return records;
    }

    /// <summary>Appends one record and makes it durable (fdatasync); the caller checked <see cref="Fits"/>.</summary>
    public void Append(ReadOnlySpan<byte> payload)
    {
        if (!Fits(payload.Length))
        {
            throw new InvalidOperationException($"a {payload.Length}-byte record does not fit the journal's {_file.Length - NextRecordAt} free bytes");
        }

        var record = Pages(RecordHeaderBytes + payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record, payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record[4..], _generation);
        payload.CopyTo(record[RecordHeaderBytes..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], Checksum(record[..RecordHeaderBytes], payload));
        var at = NextRecordAt;
        RandomAccess.Write(_writes, record, at);
        SyncData();
        _end = at + RecordHeaderBytes + payload.Length;
    }

    /// <summary>Starts over once LiteDB holds everything recorded: the next generation, so the old records no longer count.</summary>
    public void Reset()
    {
        WriteHeader(_generation + 1);
        _end = HeaderBytes;
    }

    /// <summary>Gives the file another size while it is empty (the setting changed); the new part is zeros.</summary>
    public void Resize(long capacityBytes)
    {
        var from = Math.Min(_file.Length, capacityBytes);
        _file.SetLength(capacityBytes);
        var zeros = new byte[64 * 1024];
        for (var at = from; at < capacityBytes; at += zeros.Length)
        {
            RandomAccess.Write(_file.SafeFileHandle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, capacityBytes - at)), at);
        }

        _file.Flush(flushToDisk: true);
        _meter.AddSync();
    }

    public void Dispose()
    {
        if (_writes != _file.SafeFileHandle)
        {
            _writes.Dispose();
        }

        _file.Dispose();
        unsafe
        {
            NativeMemory.AlignedFree(_buffer);
            _buffer = null;
        }
    }

    private void WriteHeader(long generation)
    {
        var header = Pages(HeaderBytes);
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], generation);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Crc32.HashToUInt32(header[..16]));
        RandomAccess.Write(_writes, header, 0);
        SyncData();
        _generation = generation;
    }

    /// <summary>Whole zeroed pages in page-aligned memory, as direct I/O needs, for <paramref name="bytes"/>.</summary>
    private unsafe Span<byte> Pages(int bytes)
    {
        var length = (bytes + PageBytes - 1) / PageBytes * PageBytes;
        if (length > _bufferBytes)
        {
            NativeMemory.AlignedFree(_buffer);
            _buffer = null;
            _buffer = (byte*)NativeMemory.AlignedAlloc((nuint)length, PageBytes);
            _bufferBytes = length;
        }

        var pages = new Span<byte>(_buffer, length);
        pages.Clear();
        return pages;
    }

    /// <summary>Opens the file again with O_DIRECT for the writes; where that is refused, writes go through the page cache.</summary>
    private void OpenDirect(string path)
    {
        var direct = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x4000,
            Architecture.Arm64 or Architecture.Arm => 0x10000,
            _ => 0,
        };
        if (direct == 0)
        {
            return;
        }

        const int ReadWrite = 2, CloseOnExec = 0x80000;
        var descriptor = OpenFile(path, ReadWrite | CloseOnExec | direct);
        if (descriptor >= 0)
        {
            _writes = new SafeFileHandle(descriptor, ownsHandle: true);
        }
    }

    private static uint Checksum(ReadOnlySpan<byte> head, ReadOnlySpan<byte> payload)
    {
        var crc = new Crc32();
        crc.Append(head[..12]);
        crc.Append(payload);
        return crc.GetCurrentHashAsUInt32();
    }

    private void SyncData()
    {
        if (FDataSync(_writes) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{_file.Name}: fdatasync failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        _meter.AddSync();
    }

    /// <summary>A new file's name must survive a power cut as well as its contents.</summary>
    private static void SyncDirectoryOf(string path)
    {
        var directory = OpenFile(Path.GetDirectoryName(Path.GetFullPath(path))!, 0);
        if (directory >= 0)
        {
            _ = FSync(directory);
            _ = Close(directory);
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(SafeFileHandle file);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
