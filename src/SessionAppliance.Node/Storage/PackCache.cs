namespace SessionAppliance.Node.Storage;

/// <summary>
/// Committed packs' entries in memory, least recently used out first, within a byte budget. LiteDB's own page
/// cache is fixed at about 8–13 MB, and each document it reads costs 12–24 µs on a fast core; a hit here costs a
/// dictionary lookup. Thread-safe: readers fill it after a miss, the writer replaces what it commits.
/// </summary>
/// <remarks>
/// A reader that missed reads the file and then fills, so its copy may predate a commit that landed in between.
/// The fill is therefore dropped unless no commit happened since the reader looked (<see cref="Commits"/>).
/// </remarks>
internal sealed class PackCache(long budgetBytes)
{
    /// <summary>What an entry costs beyond its blob: list node, dictionary slot, array header.</summary>
    private const long EntryOverheadBytes = 128;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, LinkedListNode<(long Id, byte[] Blob)>> _entries = [];
    private readonly LinkedList<(long Id, byte[] Blob)> _recency = new();
    private long _heldBytes;
    private long _commits;
    private long _hits;
    private long _misses;

    /// <summary>Counts the writer's commits that changed packs; take it before reading the file, hand it to <see cref="Fill"/>.</summary>
    public long Commits => Volatile.Read(ref _commits);

    public ReadCacheFigures Figures
    {
        get
        {
            lock (_gate)
            {
                return new ReadCacheFigures(budgetBytes, _heldBytes, _entries.Count, _hits, _misses);
            }
        }
    }

    /// <summary>Copies the cached blobs among <paramref name="ids"/> into <paramref name="found"/>; returns the ids missed.</summary>
    public List<long> GetMany(IEnumerable<long> ids, Dictionary<long, byte[]> found)
    {
        var missed = new List<long>();
        var hits = 0;
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_entries.TryGetValue(id, out var node))
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    found[id] = node.Value.Blob;
                    hits++;
                }
                else
                {
                    missed.Add(id);
                }
            }

            _hits += hits;
            _misses += missed.Count;
        }

        return missed;
    }

    /// <summary>Keeps a pack read from the file, unless the writer committed since <paramref name="commitsBeforeRead"/>.</summary>
    public void Fill(long id, byte[] blob, long commitsBeforeRead)
    {
        lock (_gate)
        {
            if (_commits == commitsBeforeRead && !_entries.ContainsKey(id))
            {
                Put(id, blob);
            }
        }
    }

    /// <summary>The writer's committed packs: each replaced by its new blob, or dropped when null (the pack is gone).</summary>
    public void Commit(IReadOnlyCollection<(long Id, byte[]? Blob)> packs)
    {
        if (packs.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _commits++;
            foreach (var (id, blob) in packs)
            {
                Drop(id);
                if (blob is not null)
                {
                    Put(id, blob);
                }
            }
        }
    }

    private void Put(long id, byte[] blob)
    {
        var cost = blob.Length + EntryOverheadBytes;
        if (cost > budgetBytes)
        {
            return;
        }

        _entries[id] = _recency.AddFirst((id, blob));
        _heldBytes += cost;
        while (_heldBytes > budgetBytes)
        {
            Drop(_recency.Last!.Value.Id);
        }
    }

    private void Drop(long id)
    {
        if (_entries.Remove(id, out var node))
        {
            _recency.Remove(node);
            _heldBytes -= node.Value.Blob.Length + EntryOverheadBytes;
        }
    }
}

/// <summary>The read cache at a glance: its budget, what it holds, and how often reads found their pack in it.</summary>
public sealed record ReadCacheFigures(long BudgetBytes, long HeldBytes, int Packs, long Hits, long Misses)
{
    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
