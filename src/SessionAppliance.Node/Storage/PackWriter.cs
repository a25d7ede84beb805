using LiteDB;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The writer's view of the packs during one batch: packs it touches are decoded once, changed in memory and
/// written once, just before the batch's commit (<see cref="Flush"/>). New messages top up the newest pack and then
/// open the next, so a busy batch appends a run of full pages. Used only on the writer thread. It reads packs
/// from the file, not the read cache: within a batch the file also shows the batch's own spilled changes.
/// </summary>
internal sealed class PackWriter(ILiteCollection<BsonDocument> packs, long lastPackId, PackCache cache)
{
    private readonly Dictionary<long, Pack?> _touched = [];
    private readonly HashSet<long> _changed = [];
    // What this batch wrote, in order, for the read cache once the batch commits: a blob, or null for a deleted pack.
    private readonly List<(long Id, byte[]? Blob)> _written = [];
    // The newest row handed out; its pack is the newest. Rows are never reused while the node runs: a reader
    // holding a row list from before a delete must not find another account's message under a reused row.
    // A reopened store starts a new pack.
    private long _lastRow = Pack.RowOf(lastPackId, Pack.SlotsPerPack - 1);
    private long _committedLastRow = Pack.RowOf(lastPackId, Pack.SlotsPerPack - 1);

    /// <summary>The newest committed pack: a reopened store starts the next.</summary>
    public long LastPackId => Pack.PackOf(_committedLastRow);

    public StoredMessage? Get(long row) => Load(Pack.PackOf(row))?.Get(row);

    /// <summary>Reads the packs holding these rows in one query, so a loop over them does not query per row.</summary>
    public void Preload(IEnumerable<long> rows)
    {
        var missing = rows.Select(Pack.PackOf).Distinct().Where(id => !_touched.ContainsKey(id)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var id in missing)
        {
            _touched[id] = null;
        }

        foreach (var document in Pack.FindMany(packs, missing))
        {
            _touched[Pack.IdOf(document)] = Pack.FromDocument(document);
        }
    }

    /// <summary>Files a new message in the newest pack with room, opening the next pack when it is full.</summary>
    public long Add(StoredMessage message)
    {
        var key = MessageKey.Encode(message.Owner, message.Namespace, message.Hash);
        var bytes = Pack.EntryBytesOf(key, message);
        var lastPackId = Pack.PackOf(_lastRow);
        var pack = lastPackId > 0 ? Load(lastPackId) : null;
        pack?.SkipPast(_lastRow);
        if (pack is null || !pack.HasRoomFor(bytes))
        {
            pack = new Pack(lastPackId + 1);
            _touched[pack.PackId] = pack;
        }

        _changed.Add(pack.PackId);
        return _lastRow = pack.Add(message, key);
    }

    public StoredMessage? Remove(long row)
    {
        var removed = Load(Pack.PackOf(row))?.Remove(row);
        if (removed is not null)
        {
            _changed.Add(Pack.PackOf(row));
        }

        return removed;
    }

    public void SetExpiry(long row, long expiryMs)
    {
        if (Load(Pack.PackOf(row)) is { } pack)
        {
            pack.SetExpiry(row, expiryMs);
            _changed.Add(pack.PackId);
        }
    }

    /// <summary>
    /// Hands the changed packs to the open transaction and forgets them, so a long operation (a sweep after a
    /// long power-off) holds a bounded number of decoded packs; LiteDB keeps the transaction's pages.
    /// </summary>
    public void Spill()
    {
        Flush();
        Forget();
        // Keep only which packs changed, not their bytes: the commit drops them from the read cache.
        for (var i = 0; i < _written.Count; i++)
        {
            _written[i] = (_written[i].Id, null);
        }
    }

    /// <summary>Writes every changed pack inside the open transaction: an emptied pack is deleted.</summary>
    public void Flush()
    {
        foreach (var id in _changed.Order())
        {
            var pack = _touched[id]!;
            if (pack.IsEmpty)
            {
                packs.Delete(id);
                _written.Add((id, null));
            }
            else
            {
                var document = pack.ToDocument();
                packs.Upsert(document);
                _written.Add((id, Pack.BlobOf(document)));
            }
        }
    }

    /// <summary>The batch committed: readers see its packs in the cache; the next batch reads packs afresh from the file.</summary>
    public void Committed()
    {
        _committedLastRow = _lastRow;
        cache.Commit(_written);
        _written.Clear();
        Forget();
    }

    /// <summary>The batch rolled back: drop its changes, including the packs it opened.</summary>
    public void Discard()
    {
        _lastRow = _committedLastRow;
        _written.Clear();
        Forget();
    }

    private void Forget()
    {
        _touched.Clear();
        _changed.Clear();
    }

    private Pack? Load(long id)
    {
        if (!_touched.TryGetValue(id, out var pack))
        {
            _touched[id] = pack = packs.FindById(id) is { } document ? Pack.FromDocument(document) : null;
        }

        return pack;
    }
}
