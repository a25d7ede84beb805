using System.Buffers;
using System.Buffers.Binary;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// One batch's changes to packs as a journal record (<see cref="StoreJournal"/>): an entry put in a slot, a slot
/// emptied, an expiry set. Each change sets a state rather than applying a difference, so a record replayed twice
/// (a crash between LiteDB's commit and the journal's reset) leaves the same packs.
/// </summary>
/// <remarks>Each change: kind (1 byte), pack id (8), then the entry as <see cref="Pack.WriteEntry"/> lays it out, or the slot (1) and, for an expiry, the time (8).</remarks>
internal sealed class JournalRecord
{
    private const byte Put = 1;
    private const byte Remove = 2;
    private const byte Expiry = 3;

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> Payload => _buffer.WrittenSpan;

    public void Clear() => _buffer.ResetWrittenCount();

    public void AddPut(long packId, int slot, byte[] key, StoredMessage message)
    {
        var span = _buffer.GetSpan(9 + Pack.EntryBytesOf(key, message));
        span[0] = Put;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], packId);
        _buffer.Advance(9 + Pack.WriteEntry(span[9..], slot, key, message));
    }

    public void AddRemove(long row)
    {
        var span = _buffer.GetSpan(10);
        span[0] = Remove;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], Pack.PackOf(row));
        span[9] = (byte)(row % Pack.SlotsPerPack);
        _buffer.Advance(10);
    }

    public void AddExpiry(long row, long expiryMs)
    {
        var span = _buffer.GetSpan(18);
        span[0] = Expiry;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], Pack.PackOf(row));
        span[9] = (byte)(row % Pack.SlotsPerPack);
        BinaryPrimitives.WriteInt64LittleEndian(span[10..], expiryMs);
        _buffer.Advance(18);
    }

    /// <summary>
    /// Applies a record's changes to <paramref name="packs"/>, loading each pack it names the first time
    /// (null: the pack is not stored). A pack left empty stays in the dictionary, to be deleted.
    /// </summary>
    public static void Apply(byte[] payload, Dictionary<long, Pack?> packs, Func<long, Pack?> load)
    {
        for (var at = 0; at < payload.Length;)
        {
            var kind = payload[at];
            var packId = BinaryPrimitives.ReadInt64LittleEndian(payload.AsSpan(at + 1));
            if (!packs.TryGetValue(packId, out var pack))
            {
                packs[packId] = pack = load(packId);
            }

            at += 9;
            switch (kind)
            {
                case Put:
                    packs[packId] = pack ??= new Pack(packId);
                    at += pack.PutEncoded(payload, at);
                    break;
                case Remove:
                    pack?.Remove(Pack.RowOf(packId, payload[at]));
                    at += 1;
                    break;
                case Expiry:
                    pack?.SetExpiry(Pack.RowOf(packId, payload[at]), BinaryPrimitives.ReadInt64LittleEndian(payload.AsSpan(at + 1)));
                    at += 9;
                    break;
                default:
                    throw new InvalidDataException($"journal record: unknown change {kind} at byte {at - 9}");
            }
        }
    }
}
