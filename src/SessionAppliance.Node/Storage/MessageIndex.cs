using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The store's lookups, kept in memory so that the card sees packs written in id order and no index pages:
/// messages live in LiteDB in packs under increasing ids (a message's row is its pack and slot) and nothing else
/// is indexed on disk (every on-disk index over random keys would dirty a page per message). Rebuilt by one scan at start,
/// or read back from the <see cref="IndexSnapshot"/> a clean stop left. About 45 bytes of RAM per message.
/// Only the writer thread changes it; changes made inside a batch can be undone if the batch rolls back.
/// </summary>
internal sealed class MessageIndex
{
    /// <summary>Expiry bucket width: the sweep interval, so a sweep drops whole buckets.</summary>
    public const long BucketMs = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, long> _rowByHashKey = [];
    private readonly Dictionary<string, long> _rowByCollidingHash = new(StringComparer.Ordinal);
    private readonly Dictionary<AccountId, Dictionary<short, List<long>>> _rowsByOwner = [];
    private readonly SortedDictionary<long, List<long>> _rowsByExpiryBucket = [];
    private readonly List<Action> _undo = [];

    public long Count { get; private set; }

    /// <summary>What the live messages count against the capacity (<see cref="StorageCapacity.CostOf"/>).</summary>
    public long LiveBytes { get; private set; }

    /// <summary>The row that may hold <paramref name="hash"/>; the caller confirms by reading it.</summary>
    public long? CandidateRow(string hash)
    {
        lock (_lock)
        {
            if (_rowByCollidingHash.TryGetValue(hash, out var exact))
            {
                return exact;
            }

            return _rowByHashKey.TryGetValue(KeyOf(hash), out var row) ? row : null;
        }
    }

    /// <summary>Adds a message; if its 64-bit hash key already names another message, it is filed by full hash.</summary>
    public void Add(string hash, AccountId owner, short ns, long row, long expiryMs, long bytes)
    {
        lock (_lock)
        {
            var keyTaken = _rowByCollidingHash.ContainsKey(hash) || _rowByHashKey.ContainsKey(KeyOf(hash));
            AddUnlocked(hash, owner, ns, row, expiryMs, keyTaken);
            LiveBytes += bytes;
            _undo.Add(() =>
            {
                RemoveUnlocked(hash, owner, ns, row);
                LiveBytes -= bytes;
            });
        }
    }

    public void Remove(string hash, AccountId owner, short ns, long row, long expiryMs, long bytes)
    {
        lock (_lock)
        {
            var keyTaken = !_rowByHashKey.TryGetValue(KeyOf(hash), out var keyed) || keyed != row;
            RemoveUnlocked(hash, owner, ns, row);
            LiveBytes -= bytes;
            _undo.Add(() =>
            {
                AddUnlocked(hash, owner, ns, row, expiryMs, keyTaken);
                LiveBytes += bytes;
            });
        }
    }

    /// <summary>Files a row under its new expiry; the old bucket entry goes stale and the sweep skips it.</summary>
    public void Reschedule(long row, long expiryMs)
    {
        lock (_lock)
        {
            AddToBucket(row, expiryMs);
        }
    }

    /// <summary>Row ids of one stream in insertion order, after <paramref name="afterRow"/>, at most <paramref name="max"/>.</summary>
    public List<long> RowsOf(AccountId owner, short ns, long afterRow, int max)
    {
        lock (_lock)
        {
            var rows = StreamOf(owner, ns, create: false);
            if (rows is null)
            {
                return [];
            }

            var start = rows.BinarySearch(afterRow);
            start = start >= 0 ? start + 1 : ~start;
            return rows.GetRange(start, Math.Min(max, rows.Count - start));
        }
    }

    public List<AccountId> Owners()
    {
        lock (_lock)
        {
            return [.. _rowsByOwner.Keys];
        }
    }

    /// <summary>Every row of an owner, in one namespace or all of them.</summary>
    public List<long> RowsOfOwner(AccountId owner, short? ns)
    {
        lock (_lock)
        {
            if (!_rowsByOwner.TryGetValue(owner, out var streams))
            {
                return [];
            }

            if (ns is { } one)
            {
                return streams.TryGetValue(one, out var rows) ? [.. rows] : [];
            }

            return [.. streams.Values.SelectMany(r => r)];
        }
    }

    /// <summary>Takes the rows filed in buckets that began at or before <paramref name="nowMs"/>.</summary>
    public List<long> TakeDueRows(long nowMs)
    {
        lock (_lock)
        {
            var due = new List<long>();
            while (_rowsByExpiryBucket.Count > 0)
            {
                var first = _rowsByExpiryBucket.First();
                if (first.Key * BucketMs > nowMs)
                {
                    break;
                }

                due.AddRange(first.Value);
                _rowsByExpiryBucket.Remove(first.Key);
            }

            _undo.Add(() => due.ForEach(row => AddToBucket(row, nowMs)));
            return due;
        }
    }

    /// <summary>The batch committed: its changes stay.</summary>
    public void Commit()
    {
        lock (_lock)
        {
            _undo.Clear();
        }
    }

    /// <summary>The batch rolled back: undo its changes, newest first.</summary>
    public void Rollback()
    {
        lock (_lock)
        {
            for (var i = _undo.Count - 1; i >= 0; i--)
            {
                _undo[i]();
            }

            _undo.Clear();
        }
    }

    /// <summary>FNV-1a over the hash text: cheap and stable; a collision only costs an exact-match entry.</summary>
    public static ulong KeyOf(string hash)
    {
        var key = 14695981039346656037UL;
        foreach (var c in hash)
        {
            key = (key ^ c) * 1099511628211UL;
        }

        return key;
    }

    /// <summary>New rows are the largest, so the sorted insert is an append; an undone removal goes back in place.</summary>
    private void AddUnlocked(string hash, AccountId owner, short ns, long row, long expiryMs, bool keyTaken)
    {
        if (keyTaken)
        {
            _rowByCollidingHash[hash] = row;
        }
        else
        {
            _rowByHashKey[KeyOf(hash)] = row;
        }

        var rows = StreamOf(owner, ns, create: true)!;
        var at = rows.BinarySearch(row);
        rows.Insert(at >= 0 ? at : ~at, row);
        AddToBucket(row, expiryMs);
        Count++;
    }

    private void RemoveUnlocked(string hash, AccountId owner, short ns, long row)
    {
        if (!_rowByCollidingHash.Remove(hash) && _rowByHashKey.TryGetValue(KeyOf(hash), out var keyed) && keyed == row)
        {
            _rowByHashKey.Remove(KeyOf(hash));
        }

        if (_rowsByOwner.TryGetValue(owner, out var streams) && streams.TryGetValue(ns, out var rows))
        {
            var at = rows.BinarySearch(row);
            if (at >= 0)
            {
                rows.RemoveAt(at);
            }

            if (rows.Count == 0)
            {
                streams.Remove(ns);
                if (streams.Count == 0)
                {
                    _rowsByOwner.Remove(owner);
                }
            }
        }

        Count--;
    }

    private List<long>? StreamOf(AccountId owner, short ns, bool create)
    {
        if (!_rowsByOwner.TryGetValue(owner, out var streams))
        {
            if (!create)
            {
                return null;
            }

            _rowsByOwner[owner] = streams = [];
        }

        if (!streams.TryGetValue(ns, out var rows) && create)
        {
            streams[ns] = rows = [];
        }

        return rows;
    }

    private void AddToBucket(long row, long expiryMs)
    {
        var bucket = expiryMs / BucketMs;
        if (!_rowsByExpiryBucket.TryGetValue(bucket, out var rows))
        {
            _rowsByExpiryBucket[bucket] = rows = [];
        }

        rows.Add(row);
    }

    /// <summary>Writes every lookup as it stands (no batch open), for <see cref="ReadFrom"/> at the next start.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        lock (_lock)
        {
            System.Diagnostics.Debug.Assert(_undo.Count == 0, "a snapshot is taken between batches");
            writer.Write(Count);
            writer.Write(LiveBytes);
            writer.Write(_rowByHashKey.Count);
            foreach (var (key, row) in _rowByHashKey)
            {
                writer.Write(key);
                writer.Write(row);
            }

            writer.Write(_rowByCollidingHash.Count);
            foreach (var (hash, row) in _rowByCollidingHash)
            {
                writer.Write(hash);
                writer.Write(row);
            }

            writer.Write(_rowsByOwner.Count);
            foreach (var (owner, streams) in _rowsByOwner)
            {
                writer.Write(owner.Bytes);
                writer.Write(streams.Count);
                foreach (var (ns, rows) in streams)
                {
                    writer.Write(ns);
                    WriteRows(writer, rows);
                }
            }

            writer.Write(_rowsByExpiryBucket.Count);
            foreach (var (bucket, rows) in _rowsByExpiryBucket)
            {
                writer.Write(bucket);
                WriteRows(writer, rows);
            }
        }
    }

    /// <summary>The index <see cref="WriteTo"/> wrote; throws on a malformed snapshot (the caller checked its hash first).</summary>
    public static MessageIndex ReadFrom(BinaryReader reader)
    {
        var index = new MessageIndex { Count = reader.ReadInt64(), LiveBytes = reader.ReadInt64() };
        var keys = ReadCount(reader);
        index._rowByHashKey.EnsureCapacity(keys);
        for (var i = 0; i < keys; i++)
        {
            index._rowByHashKey.Add(reader.ReadUInt64(), reader.ReadInt64());
        }

        for (var i = ReadCount(reader); i > 0; i--)
        {
            index._rowByCollidingHash.Add(reader.ReadString(), reader.ReadInt64());
        }

        for (var i = ReadCount(reader); i > 0; i--)
        {
            var owner = AccountId.FromBytes(reader.ReadBytes(MessageKey.OwnerLength));
            var streams = index._rowsByOwner[owner] = [];
            for (var j = ReadCount(reader); j > 0; j--)
            {
                streams.Add(reader.ReadInt16(), ReadRows(reader));
            }
        }

        for (var i = ReadCount(reader); i > 0; i--)
        {
            index._rowsByExpiryBucket.Add(reader.ReadInt64(), ReadRows(reader));
        }

        return index;
    }

    /// <summary>Rows as zigzag deltas: a stream's rows ascend, so most take one or two bytes.</summary>
    private static void WriteRows(BinaryWriter writer, List<long> rows)
    {
        writer.Write(rows.Count);
        long previous = 0;
        foreach (var row in rows)
        {
            var delta = row - previous;
            writer.Write7BitEncodedInt64((delta << 1) ^ (delta >> 63));
            previous = row;
        }
    }

    private static List<long> ReadRows(BinaryReader reader)
    {
        var count = ReadCount(reader);
        var rows = new List<long>(count);
        long previous = 0;
        for (var i = 0; i < count; i++)
        {
            var zigzag = reader.Read7BitEncodedInt64();
            previous += (long)((ulong)zigzag >> 1) ^ -(zigzag & 1);
            rows.Add(previous);
        }

        return rows;
    }

    private static int ReadCount(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        return count >= 0 ? count : throw new InvalidDataException("a negative count");
    }
}
