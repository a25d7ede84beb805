using System.Collections.Concurrent;
using LiteDB;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The writer's view of the packs during one batch: packs it touches are decoded once, changed in memory and
/// written once, just before the batch's commit (<see cref="Flush"/>). New messages top up the newest pack and then
/// open the next, so a busy batch appends a run of full pages. Used only on the writer thread (except
/// <see cref="TryGetUnflushed"/>). It reads packs from the file, not the read cache: within a batch the file also
/// shows the batch's own spilled changes.
/// </summary>
/// <remarks>
/// With a <see cref="StoreJournal"/>, a small batch's changes go to the journal as one record, and the packs it
/// changed stay in memory (unflushed) until a batch goes to LiteDB: a large one, one that needs LiteDB itself
/// (revocations, the expiry sweep), or one that finds the journal or the unflushed packs full. That batch takes
/// every unflushed pack into its own transaction, and the journal starts over once it is durable. So a card sees
/// a topped-up pack page once per journal, not once per commit.
/// </remarks>
internal sealed class PackWriter(ILiteCollection<BsonDocument> packs, long lastPackId, PackCache cache, StoreJournal? journal)
{
    /// <summary>Largest record a batch may journal: beyond about two packs' worth, LiteDB's full pages cost no more.</summary>
    public const int MaxJournalRecordBytes = 16 * 1024;

    /// <summary>Packs held in memory until LiteDB takes them (about 2 MB at most).</summary>
    public const int MaxUnflushedPacks = 256;

    private readonly Dictionary<long, Pack?> _touched = [];
    // Committed packs LiteDB does not have yet: the newest blob, or null for a pack deleted since. Readers look here first.
    private readonly ConcurrentDictionary<long, byte[]?> _unflushed = new();
    private readonly JournalRecord _record = new();
    // The batch must go to LiteDB (it writes LiteDB itself, or spills); once it is written there, _toLiteDb.
    private bool _direct;
    private bool _toLiteDb;
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

    /// <summary>For readers: a committed pack LiteDB does not hold yet (its blob, or null if it was deleted since).</summary>
    public bool TryGetUnflushed(long packId, out byte[]? blob) => _unflushed.TryGetValue(packId, out blob);

    /// <summary>The batch writes LiteDB itself (revocations): it goes to LiteDB, with everything unflushed.</summary>
    public void RequireDirect() => _direct = true;

    /// <summary>Reads the packs holding these rows in one query, so a loop over them does not query per row.</summary>
    public void Preload(IEnumerable<long> rows)
    {
        var missing = new List<long>();
        foreach (var id in rows.Select(Pack.PackOf).Distinct().Where(id => !_touched.ContainsKey(id)))
        {
            if (!TryLoadUnflushed(id))
            {
                missing.Add(id);
            }
        }

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
        _lastRow = pack.Add(message, key);
        _record.AddPut(pack.PackId, (int)(_lastRow % Pack.SlotsPerPack), key, message);
        return _lastRow;
    }

    public StoredMessage? Remove(long row)
    {
        var removed = Load(Pack.PackOf(row))?.Remove(row);
        if (removed is not null)
        {
            _changed.Add(Pack.PackOf(row));
            _record.AddRemove(row);
        }

        return removed;
    }

    public void SetExpiry(long row, long expiryMs)
    {
        if (Load(Pack.PackOf(row)) is { } pack)
        {
            pack.SetExpiry(row, expiryMs);
            _changed.Add(pack.PackId);
            _record.AddExpiry(row, expiryMs);
        }
    }

    /// <summary>
    /// Hands the changed packs to the open transaction and forgets them, so a long operation (a sweep after a
    /// long power-off) holds a bounded number of decoded packs; LiteDB keeps the transaction's pages.
    /// </summary>
    public void Spill()
    {
        _direct = true;
        Flush();
        Forget();
        // Keep only which packs changed, not their bytes: the commit drops them from the read cache.
        for (var i = 0; i < _written.Count; i++)
        {
            _written[i] = (_written[i].Id, null);
        }
    }

    /// <summary>
    /// Decides where the batch goes and, for LiteDB, writes every changed pack (and every unflushed one) inside the
    /// open transaction: an emptied pack is deleted. A journalled batch writes nothing to LiteDB.
    /// </summary>
    public void Flush()
    {
        if (!_toLiteDb && (_direct || journal is null || _record.Length > MaxJournalRecordBytes || !journal.Fits(_record.Length)
            || _unflushed.Count + _changed.Count > MaxUnflushedPacks))
        {
            _toLiteDb = true;
            foreach (var (id, blob) in _unflushed)
            {
                if (!_changed.Contains(id))
                {
                    Write(id, blob);
                }
            }
        }

        foreach (var id in _changed.Order())
        {
            var pack = _touched[id]!;
            var blob = pack.IsEmpty ? null : pack.ToBlob();
            if (_toLiteDb)
            {
                Write(id, blob);
            }

            _written.Add((id, blob));
        }
    }

    /// <summary>The batch committed: readers see its packs (unflushed, and in the cache); the next batch reads packs afresh.</summary>
    public void Committed()
    {
        _committedLastRow = _lastRow;
        if (_toLiteDb)
        {
            // LiteDB's committed state now holds every unflushed pack.
            _unflushed.Clear();
        }
        else
        {
            foreach (var (id, blob) in _written)
            {
                _unflushed[id] = blob;
            }
        }

        cache.Commit(_written);
        _written.Clear();
        Forget();
    }

    /// <summary>
    /// Makes the committed batch durable: its journal record appended and flushed, or LiteDB's log flushed and then
    /// the journal started over (everything it held is in LiteDB now).
    /// </summary>
    public void MakeDurable(StoreFile file)
    {
        var toLiteDb = _toLiteDb;
        _toLiteDb = _direct = false;
        try
        {
            if (toLiteDb)
            {
                file.MakeCommitsDurable();
                if (journal is { IsEmpty: false })
                {
                    journal.Reset();
                }
            }
            else if (_record.Length > 0)
            {
                journal!.Append(_record.Payload);
            }
        }
        finally
        {
            _record.Clear();
        }
    }

    /// <summary>At a clean stop (the writer has stopped): LiteDB takes every unflushed pack, and the journal starts over.</summary>
    public void Checkpoint(LiteDatabase database, StoreFile file)
    {
        if (_unflushed.IsEmpty && journal is not { IsEmpty: false })
        {
            return;
        }

        database.BeginTrans();
        foreach (var (id, blob) in _unflushed)
        {
            Write(id, blob);
        }

        database.Commit();
        _unflushed.Clear();
        file.MakeCommitsDurable();
        journal?.Reset();
    }

    /// <summary>The batch rolled back: drop its changes, including the packs it opened.</summary>
    public void Discard()
    {
        _lastRow = _committedLastRow;
        _written.Clear();
        _record.Clear();
        _toLiteDb = _direct = false;
        Forget();
    }

    private void Write(long id, byte[]? blob)
    {
        if (blob is null)
        {
            packs.Delete(id);
        }
        else
        {
            packs.Upsert(Pack.ToDocument(id, blob));
        }
    }

    private void Forget()
    {
        _touched.Clear();
        _changed.Clear();
    }

    private Pack? Load(long id)
    {
        if (_touched.TryGetValue(id, out var pack) || (TryLoadUnflushed(id) && _touched.TryGetValue(id, out pack)))
        {
            return pack;
        }

        return _touched[id] = packs.FindById(id) is { } document ? Pack.FromDocument(document) : null;
    }

    /// <summary>
    /// Takes an unflushed pack into the batch. Not once the batch has written the unflushed packs into its
    /// transaction: from then on the transaction shows them, with the batch's own spilled changes.
    /// </summary>
    private bool TryLoadUnflushed(long id)
    {
        if (_toLiteDb || !_unflushed.TryGetValue(id, out var blob))
        {
            return false;
        }

        _touched[id] = blob is null ? null : Pack.FromBlob(id, blob);
        return true;
    }
}
