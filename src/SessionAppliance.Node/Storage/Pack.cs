using System.Buffers.Binary;
using LiteDB;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// Up to 16 messages in one LiteDB document sized to fit one 8 KB page (a single larger message gets a pack of its own). LiteDB only puts a new document into a page
/// with about 30% free, so one message per document leaves pages a third empty; a full pack fills its page.
/// A message's row id is <c>pack id × 16 + slot</c>: it grows in insertion order and stays put when the
/// pack's other messages leave, so the in-memory index can name messages by row.
/// </summary>
/// <remarks>
/// Document: <c>{ _id: pack id, m: entries }</c>; each entry is slot (1 byte), key length (1 byte),
/// <see cref="MessageKey"/>, timestamp and expiry (8 bytes each, little-endian), data length (4 bytes), data.
/// </remarks>
internal sealed class Pack
{
    public const string Collection = "packs";
    public const int SlotsPerPack = 16;

    /// <summary>Entry bytes that keep a pack document inside one page (8,192 less page and block headers).</summary>
    public const int BudgetBytes = 8_000;

    private const string Id = "_id";
    private const string Entries = "m";
    private const int FixedEntryBytes = 1 + 1 + 8 + 8 + 4;

    private readonly List<Entry> _entries = [];
    private int _nextSlot;

    public Pack(long id) => PackId = id;

    public long PackId { get; }

    public int Bytes { get; private set; }

    public bool IsEmpty => _entries.Count == 0;

    public static long RowOf(long packId, int slot) => (packId * SlotsPerPack) + slot;

    public static long PackOf(long row) => row / SlotsPerPack;

    /// <summary>A pack takes a message while it has a free slot and the budget allows; an empty pack takes any.</summary>
    public bool HasRoomFor(int entryBytes) => _nextSlot < SlotsPerPack && (IsEmpty || Bytes + entryBytes <= BudgetBytes);

    public static int EntryBytesOf(byte[] key, StoredMessage message) => FixedEntryBytes + key.Length + message.Data.Length;

    /// <summary>Never hands out a row at or below <paramref name="row"/>, even one whose message has left.</summary>
    public void SkipPast(long row) => _nextSlot = (int)Math.Clamp(row + 1 - RowOf(PackId, 0), _nextSlot, SlotsPerPack);

    /// <summary>Adds a message in the next slot and returns its row.</summary>
    public long Add(StoredMessage message, byte[] key)
    {
        var slot = _nextSlot++;
        _entries.Add(new Entry(slot, message, key));
        Bytes += EntryBytesOf(key, message);
        return RowOf(PackId, slot);
    }

    public StoredMessage? Get(long row) => IndexOf(row) is var i and >= 0 ? _entries[i].Message : null;

    public StoredMessage? Remove(long row)
    {
        var i = IndexOf(row);
        if (i < 0)
        {
            return null;
        }

        var entry = _entries[i];
        _entries.RemoveAt(i);
        Bytes -= EntryBytesOf(entry.Key, entry.Message);
        return entry.Message;
    }

    public void SetExpiry(long row, long expiryMs)
    {
        var i = IndexOf(row);
        if (i >= 0)
        {
            _entries[i] = _entries[i] with { Message = _entries[i].Message with { ExpiryMs = expiryMs } };
        }
    }

    public BsonDocument ToDocument() => ToDocument(PackId, ToBlob());

    public static BsonDocument ToDocument(long packId, byte[] blob) => new() { [Id] = packId, [Entries] = blob };

    /// <summary>The pack's entries as stored: each as <see cref="WriteEntry"/> lays it out, in slot order.</summary>
    public byte[] ToBlob()
    {
        var blob = new byte[Bytes];
        var at = 0;
        foreach (var entry in _entries)
        {
            at += WriteEntry(blob.AsSpan(at), entry.Slot, entry.Key, entry.Message);
        }

        return blob;
    }

    /// <summary>One entry's bytes (see the class remarks); returns how many were written.</summary>
    public static int WriteEntry(Span<byte> to, int slot, byte[] key, StoredMessage message)
    {
        to[0] = (byte)slot;
        to[1] = (byte)key.Length;
        key.CopyTo(to[2..]);
        var at = 2 + key.Length;
        BinaryPrimitives.WriteInt64LittleEndian(to[at..], message.TimestampMs);
        BinaryPrimitives.WriteInt64LittleEndian(to[(at + 8)..], message.ExpiryMs);
        BinaryPrimitives.WriteInt32LittleEndian(to[(at + 16)..], message.Data.Length);
        message.Data.CopyTo(to[(at + 20)..]);
        return at + 20 + message.Data.Length;
    }

    /// <summary>Decodes a stored pack; later slots continue after its highest one.</summary>
    public static Pack FromDocument(BsonDocument document) => FromBlob(IdOf(document), BlobOf(document));

    public static Pack FromBlob(long packId, byte[] blob)
    {
        var pack = new Pack(packId);
        for (var at = 0; at < blob.Length; at += EntryLengthAt(blob, at))
        {
            var entry = DecodeAt(blob, at);
            pack._entries.Add(entry);
            pack.Bytes += EntryBytesOf(entry.Key, entry.Message);
            pack._nextSlot = entry.Slot + 1;
        }

        return pack;
    }

    /// <summary>
    /// Puts the entry encoded at <paramref name="at"/> into its slot, replacing what the slot held: a journal
    /// replayed twice (a crash between LiteDB's commit and the journal's reset) leaves the same pack. Returns the
    /// entry's length.
    /// </summary>
    public int PutEncoded(byte[] source, int at)
    {
        var entry = DecodeAt(source, at);
        var i = _entries.FindIndex(e => e.Slot >= entry.Slot);
        if (i >= 0 && _entries[i].Slot == entry.Slot)
        {
            Bytes -= EntryBytesOf(_entries[i].Key, _entries[i].Message);
            _entries[i] = entry;
        }
        else
        {
            _entries.Insert(i < 0 ? _entries.Count : i, entry);
        }

        Bytes += EntryBytesOf(entry.Key, entry.Message);
        _nextSlot = Math.Max(_nextSlot, entry.Slot + 1);
        return EntryLengthAt(source, at);
    }

    public static long IdOf(BsonDocument document) => document[Id].AsInt64;

    /// <summary>
    /// The stored packs among <paramref name="ids"/>, in one query: LiteDB's per-query cost (planning, snapshot)
    /// is about that of reading a pack, so one parameterised IN (its parse is cached) beats a FindById per pack.
    /// </summary>
    public static IEnumerable<BsonDocument> FindMany(ILiteCollection<BsonDocument> packs, IEnumerable<long> ids) =>
        packs.Find(BsonExpression.Create("_id IN @0", new BsonArray(ids.Select(id => new BsonValue(id)))));

    /// <summary>
    /// What the index needs of each message in a stored pack, without copying any message's data: the start-up
    /// scan reads every pack once, and copying the data made about a kilobyte of garbage per message.
    /// </summary>
    public static List<IndexEntry> ReadIndexEntries(BsonDocument document)
    {
        var packId = IdOf(document);
        var blob = BlobOf(document);
        var entries = new List<IndexEntry>(SlotsPerPack);
        for (var at = 0; at < blob.Length; at += EntryLengthAt(blob, at))
        {
            var key = blob.AsSpan(at + 2, blob[at + 1]);
            var fields = at + 2 + key.Length;
            entries.Add(new IndexEntry(
                RowOf(packId, blob[at]),
                MessageKey.OwnerOf(key),
                MessageKey.NamespaceOf(key),
                MessageKey.HashOf(key),
                BinaryPrimitives.ReadInt64LittleEndian(blob.AsSpan(fields + 8)),
                BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(fields + 16))));
        }

        return entries;
    }

    /// <summary>A stored pack's entries, as <see cref="ToDocument"/> wrote them.</summary>
    public static byte[] BlobOf(BsonDocument document) => document[Entries].AsBinary;

    /// <summary>One message of a stored pack's entries, decoding only that entry; null if the slot is empty.</summary>
    public static StoredMessage? Read(byte[] blob, long row)
    {
        var wanted = (int)(row % SlotsPerPack);
        for (var at = 0; at < blob.Length;)
        {
            var length = EntryLengthAt(blob, at);
            if (blob[at] == wanted)
            {
                return DecodeAt(blob, at).Message;
            }

            at += length;
        }

        return null;
    }

    private int IndexOf(long row)
    {
        if (PackOf(row) != PackId)
        {
            return -1;
        }

        var slot = (int)(row % SlotsPerPack);
        return _entries.FindIndex(e => e.Slot == slot);
    }

    public static int EntryLengthAt(byte[] blob, int at) =>
        FixedEntryBytes + blob[at + 1] + BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(at + 2 + blob[at + 1] + 16));

    private static Entry DecodeAt(byte[] blob, int at)
    {
        var key = blob.AsSpan(at + 2, blob[at + 1]).ToArray();
        var fields = at + 2 + key.Length;
        var message = new StoredMessage(
            MessageKey.OwnerOf(key),
            MessageKey.NamespaceOf(key),
            MessageKey.HashOf(key),
            BinaryPrimitives.ReadInt64LittleEndian(blob.AsSpan(fields)),
            BinaryPrimitives.ReadInt64LittleEndian(blob.AsSpan(fields + 8)),
            blob.AsSpan(fields + 20, BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(fields + 16))).ToArray());
        return new Entry(blob[at], message, key);
    }

    private readonly record struct Entry(int Slot, StoredMessage Message, byte[] Key);

    /// <summary>One message as the index knows it (<see cref="ReadIndexEntries"/>).</summary>
    public readonly record struct IndexEntry(long Row, AccountId Owner, short Namespace, string Hash, long ExpiryMs, int DataLength);
}
