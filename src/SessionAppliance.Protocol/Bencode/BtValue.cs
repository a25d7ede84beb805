using System.Text;

namespace SessionAppliance.Protocol.Bencode;

/// <summary>
/// One bencoded ("bt") value as oxenc has them: an integer (int64 or uint64), a byte string, a list, or a dict
/// whose keys are byte strings in ascending order. OxenMQ carries these in <c>sn.data</c>, <c>sn.onion_request</c>,
/// <c>sn.storage_cc</c>, bt-encoded <c>storage.*</c> requests and <c>monitor.messages</c> (spec §2, §3.4, §5.4).
/// </summary>
public abstract class BtValue
{
    public static BtValue From(long value) => new BtInteger(value);

    public static BtValue From(ulong value) => new BtInteger(value);

    public static BtValue From(ReadOnlySpan<byte> value) => new BtString(value.ToArray());

    public static BtValue From(string value) => new BtString(Encoding.UTF8.GetBytes(value));

    /// <summary>The bytes of a string value, or null for any other kind.</summary>
    public byte[]? AsBytes() => (this as BtString)?.Value;

    public string? AsUtf8() => this is BtString s ? Encoding.UTF8.GetString(s.Value) : null;

    public Int128? AsInteger() => (this as BtInteger)?.Value;

    public IReadOnlyList<BtValue>? AsList() => (this as BtList)?.Items;

    public BtDict? AsDict() => this as BtDict;
}

public sealed class BtInteger(Int128 value) : BtValue
{
    /// <summary>Between <see cref="long.MinValue"/> and <see cref="ulong.MaxValue"/>, the range oxenc reads.</summary>
    public Int128 Value { get; } = value;
}

public sealed class BtString(byte[] value) : BtValue
{
    public byte[] Value { get; } = value;
}

public sealed class BtList(IReadOnlyList<BtValue> items) : BtValue
{
    public IReadOnlyList<BtValue> Items { get; } = items;
}

/// <summary>A dict; <see cref="Entries"/> are in ascending byte order of the keys, without duplicates.</summary>
public sealed class BtDict : BtValue
{
    private readonly SortedList<byte[], BtValue> _entries = new(ByteOrder.Instance);

    public IEnumerable<KeyValuePair<byte[], BtValue>> Entries => _entries;

    public int Count => _entries.Count;

    public BtValue? this[string key] => _entries.TryGetValue(Encoding.UTF8.GetBytes(key), out var value) ? value : null;

    /// <summary>Adds or replaces <paramref name="key"/>.</summary>
    public BtDict Set(string key, BtValue value)
    {
        _entries[Encoding.UTF8.GetBytes(key)] = value;
        return this;
    }

    public BtDict Set(byte[] key, BtValue value)
    {
        _entries[key] = value;
        return this;
    }

    public bool Contains(byte[] key) => _entries.ContainsKey(key);

    /// <summary>Ordinal (unsigned byte) order, the order bencoded dict keys must be in.</summary>
    public sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
