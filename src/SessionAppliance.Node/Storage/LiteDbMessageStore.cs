using LiteDB;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The message store: messages packed into page-sized LiteDB documents (<see cref="Pack"/>) under increasing
/// ids, with every lookup in a <see cref="MessageIndex"/> in memory. Reads run on the caller's thread against
/// committed data; every write goes through the <see cref="GroupCommitWriter"/>, which commits a batch's
/// changed packs at once (a small batch to the <see cref="StoreJournal"/>) and completes its operations only after
/// the batch is on the card.
/// </summary>
public sealed class LiteDbMessageStore : IMessageStore
{
    /// <summary>Rows a sweep decodes at a time, so the first sweep after a long power-off stays within memory.</summary>
    private const int SweepChunkRows = 4_096;

    /// <summary>Rows a retrieve reads per query: a full 7.8 MB answer of 1 KB messages takes about 30 queries.</summary>
    private const int RetrieveChunkRows = 256;

    private readonly StoreFile _file;
    private readonly StoreJournal? _journal;
    private readonly ILiteCollection<BsonDocument> _packs;
    private readonly RevocationList _revocations;
    private readonly MessageIndex _index;
    private readonly PackCache _cache;
    private readonly PackWriter _writes;
    private readonly GroupCommitWriter _writer;
    private readonly long _capacityBytes;
    private readonly long _maxMessages;
    private readonly ILogger _log;
    private int _disposed;

    /// <param name="capacityBytes">The cap decided when the node first opened its store, for a reopen; null resolves it now.</param>
    /// <param name="log">Told how the index was loaded and saved.</param>
    public LiteDbMessageStore(string path, StorageOptions options, TimeProvider time, IProgress<double>? loading = null, IProgress<double>? migrating = null,
        long? capacityBytes = null, ILogger? log = null)
    {
        _log = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var stamp = IndexSnapshot.StampOf(path);
        var newStore = !File.Exists(path) || new FileInfo(path).Length == 0;
        _file = StoreFile.Open(path, Meter);
        _capacityBytes = capacityBytes ?? StorageCapacity.Resolve(options.CapacityBytes, path, _file.SizeBytes);
        _maxMessages = StorageCapacity.ResolveMaxMessages(options.MaxMessages, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        _cache = new PackCache(options.ReadCacheBytes ?? StorageOptions.DefaultReadCacheBytes());
        try
        {
            _packs = _file.Database.GetCollection(Pack.Collection);
            _revocations = new RevocationList(_file.Database);
            _journal = JournalStartup.OpenAndReplay(path, options.JournalBytes, newStore, _file, _packs, Meter, _log);
            LegacyMessageMigration.Run(_file, _packs, _cache, migrating);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (IndexSnapshot.TryLoad(_file, stamp, out var lastPackId, out var scanReason) is { } snapshot)
            {
                _index = snapshot;
                StoreLog.IndexFromSnapshot(_log, _index.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                _index = new MessageIndex();
                lastPackId = IndexScan.Run(_packs, _cache, _index, loading);
                StoreLog.IndexScanned(_log, _index.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, scanReason);
            }

            _writes = new PackWriter(_packs, lastPackId, _cache, _journal);
        }
        catch (Exception error) when (DamagedStoreException.Indicates(error))
        {
            _journal?.Dispose();
            _file.Dispose();
            throw DamagedStoreException.For(path, error);
        }
        catch
        {
            _journal?.Dispose();
            throw;
        }

        _writer = new GroupCommitWriter(_file.Database, options, time, new CommitHooks(_file, _index, _writes));
    }

    /// <summary>Transactions committed so far (one per batch of writes).</summary>
    public long Commits => _writer.Commits;

    /// <summary>Why the store stopped taking writes (a full disk), if it did; it must then be reopened.</summary>
    public StoreUnavailableException? Fault => _writer.Fault;

    /// <summary>The syncs the store has forced on its files.</summary>
    public DiskWriteMeter Meter { get; } = new();

    /// <summary>How much the read cache holds and how often reads found their pack in it.</summary>
    public ReadCacheFigures ReadCache => _cache.Figures;

    public Task<StoreOutcome> StoreAsync(StoredMessage message, bool replaceNamespace, CancellationToken cancellationToken)
    {
        if (_index.LiveBytes >= _capacityBytes || _index.Count >= _maxMessages)
        {
            return Task.FromResult(StoreOutcome.Full);
        }

        return _writer.EnqueueAsync(_ => Insert(message, replaceNamespace), cancellationToken, message.Data.Length);
    }

    public RetrievePage Retrieve(AccountId owner, short ns, string? lastHash, RetrieveLimits limits)
    {
        var fetchLimit = limits.MaxCount == int.MaxValue ? int.MaxValue : limits.MaxCount + 1;
        var candidate = lastHash is null ? null : _index.CandidateRow(lastHash);
        // The last hash's pack is read in the same query as the messages after it, then confirmed.
        var rows = _index.RowsOf(owner, ns, candidate ?? 0, fetchLimit);
        var found = ReadRows(candidate is { } start ? [start, .. ChunkOf(rows, 0)] : ChunkOf(rows, 0));
        if (candidate is { } previous
            && !(found.TryGetValue(previous, out var last) && last.Hash == lastHash && last.Owner.Equals(owner) && last.Namespace == ns))
        {
            rows = _index.RowsOf(owner, ns, 0, fetchLimit);
            found = ReadRows(ChunkOf(rows, 0));
        }

        var messages = new List<StoredMessage>();
        long spent = 0;
        // A row the writer has indexed but not yet committed (or just deleted) reads as absent; rows are never reused.
        for (var i = 0; i < rows.Count; i++)
        {
            // Messages are read a chunk at a time: a page is bounded by bytes, not by the account's size.
            if (i > 0 && i % RetrieveChunkRows == 0)
            {
                found = ReadRows(ChunkOf(rows, i));
            }

            var row = rows[i];
            if (!found.TryGetValue(row, out var message) || message.Namespace != ns || !message.Owner.Equals(owner))
            {
                continue;
            }

            spent += RetrieveLimits.CostOf(message.Hash.Length, message.Data.Length);
            if (messages.Count == limits.MaxCount || (messages.Count > 0 && spent > limits.MaxBytes))
            {
                return new RetrievePage(messages, More: true);
            }

            messages.Add(message);
        }

        return new RetrievePage(messages, More: false);
    }

    private static List<long> ChunkOf(List<long> rows, int from) => rows.GetRange(from, Math.Min(RetrieveChunkRows, rows.Count - from));

    public IReadOnlyDictionary<string, long> GetExpiries(AccountId owner, IReadOnlyList<string> hashes)
    {
        var candidates = hashes.Select(hash => (Hash: hash, Row: _index.CandidateRow(hash))).Where(c => c.Row is not null).ToList();
        var found = ReadRows([.. candidates.Select(c => c.Row!.Value)]);
        var expiries = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (hash, row) in candidates)
        {
            if (found.TryGetValue(row!.Value, out var message) && message.Hash == hash && message.Owner.Equals(owner))
            {
                expiries[hash] = message.ExpiryMs;
            }
        }

        return expiries;
    }

    public Task<IReadOnlyList<string>> DeleteAsync(AccountId owner, IReadOnlyList<string> hashes, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync<IReadOnlyList<string>>(_ =>
        {
            var deleted = new List<string>();
            foreach (var hash in hashes.Distinct(StringComparer.Ordinal))
            {
                if (FindByHash(hash) is { } found && found.Message.Owner.Equals(owner))
                {
                    Delete(found.Row, found.Message);
                    deleted.Add(hash);
                }
            }

            return deleted;
        }, cancellationToken);

    public Task<IReadOnlyList<NamespacedHash>> DeleteAllAsync(AccountId owner, short? ns, CancellationToken cancellationToken) =>
        DeleteMatchingAsync(owner, ns, _ => true, cancellationToken);

    public Task<IReadOnlyList<NamespacedHash>> DeleteBeforeAsync(AccountId owner, short? ns, long beforeMs, CancellationToken cancellationToken) =>
        DeleteMatchingAsync(owner, ns, message => message.TimestampMs <= beforeMs, cancellationToken);

    /// <summary>
    /// As the reference's database does it: one expiry for all updates each distinct message at most once; a
    /// list updates message by message, so a repeated hash is checked against what its earlier occurrence wrote
    /// and reported once per update.
    /// </summary>
    public Task<ExpiryUpdate> UpdateExpiryAsync(AccountId owner, IReadOnlyList<string> hashes, IReadOnlyList<long> expiriesMs, ExpiryChangeMode mode, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(_ =>
        {
            var single = expiriesMs.Count == 1;
            var targets = single ? hashes.Distinct(StringComparer.Ordinal).Select(h => (h, expiriesMs[0])) : hashes.Zip(expiriesMs);
            var updated = new List<(string Hash, long Expiry)>();
            foreach (var (hash, wanted) in targets)
            {
                if (FindByHash(hash) is { } found && found.Message.Owner.Equals(owner) && Allows(mode, found.Message.ExpiryMs, wanted))
                {
                    SetExpiry(found.Row, wanted);
                    updated.Add((hash, wanted));
                }
            }

            var unchanged = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var updatedHashes = updated.Select(u => u.Hash).ToHashSet(StringComparer.Ordinal);
            foreach (var hash in hashes.Where(h => !updatedHashes.Contains(h)))
            {
                if (FindByHash(hash) is { } found && found.Message.Owner.Equals(owner))
                {
                    unchanged[hash] = found.Message.ExpiryMs;
                }
            }

            return new ExpiryUpdate([.. updated.OrderBy(u => u.Hash, StringComparer.Ordinal)], unchanged);
        }, cancellationToken);

    private static bool Allows(ExpiryChangeMode mode, long current, long wanted) => mode switch
    {
        ExpiryChangeMode.ExtendOnly => wanted > current,
        ExpiryChangeMode.ShortenOnly => wanted < current,
        _ => true,
    };

    public Task<IReadOnlyList<NamespacedHash>> ShortenAllAsync(AccountId owner, short? ns, long expiryMs, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync<IReadOnlyList<NamespacedHash>>(_ =>
        {
            var changed = new List<NamespacedHash>();
            foreach (var (row, message) in MessagesWritten(owner, ns).Where(m => m.Message.ExpiryMs > expiryMs))
            {
                SetExpiry(row, expiryMs);
                changed.Add(new NamespacedHash(message.Namespace, message.Hash));
            }

            return changed;
        }, cancellationToken);

    // Revocations live in LiteDB itself, so their batch goes to LiteDB rather than the journal.
    public Task RevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, long nowMs, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(_ =>
        {
            _writes.RequireDirect();
            _revocations.Add(owner, tokens, nowMs);
            return 0;
        }, cancellationToken);

    public Task<int> UnrevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(_ =>
        {
            _writes.RequireDirect();
            return _revocations.Remove(owner, tokens);
        }, cancellationToken);

    public bool IsRevoked(AccountId owner, ReadOnlySpan<byte> token) => _revocations.Contains(owner, token);

    public IReadOnlyList<byte[]> RevokedTokens(AccountId owner) => _revocations.Of(owner);

    /// <summary>Drops the expiry buckets that are due; rows an expire moved elsewhere are skipped.</summary>
    public Task<int> DeleteExpiredAsync(long nowMs, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(_ =>
        {
            var deleted = 0;
            foreach (var chunk in _index.TakeDueRows(nowMs).Chunk(SweepChunkRows))
            {
                _writes.Preload(chunk);
                foreach (var row in chunk)
                {
                    if (_writes.Get(row) is not { } message)
                    {
                        continue;
                    }

                    if (message.ExpiryMs <= nowMs)
                    {
                        Delete(row, message);
                        deleted++;
                    }
                    else if (message.ExpiryMs / MessageIndex.BucketMs <= nowMs / MessageIndex.BucketMs)
                    {
                        _index.Reschedule(row, message.ExpiryMs);
                    }
                }

                _writes.Spill();
            }

            return deleted;
        }, cancellationToken);

    public IReadOnlyList<AccountId> Owners() => _index.Owners();

    public StoredMessage? Find(string hash) =>
        _index.CandidateRow(hash) is { } row && ReadRows([row]).TryGetValue(row, out var message) && message.Hash == hash ? message : null;

    public IReadOnlyList<StoredMessage> MessagesOf(AccountId owner)
    {
        var rows = _index.RowsOfOwner(owner, null);
        var found = ReadRows(rows);
        return [.. rows.Where(found.ContainsKey).Select(row => found[row]).Where(message => message.Owner.Equals(owner))];
    }

    public (long UsedBytes, long CapacityBytes) Usage() => (_index.LiveBytes, _capacityBytes);

    public StoreStatistics Statistics() => new(_index.Count, _file.SizeBytes + (_journal?.CapacityBytes ?? 0), _capacityBytes, Interlocked.Read(ref _damagedDropped), _index.LiveBytes, _maxMessages);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        try
        {
            var token = Fault is null && Checkpoint() ? NewSnapshotToken() : null;
            _file.Dispose();
            SaveIndex(token);
        }
        catch (IOException) when (Fault is not null)
        {
            // LiteDB already gave up on its files; what it had committed is in them, and the log replays at the next open.
        }
        finally
        {
            _journal?.Dispose();
        }
    }

    /// <summary>At a clean stop, LiteDB takes what the journal holds; if it cannot, the journal replays at the next open.</summary>
    private bool Checkpoint()
    {
        try
        {
            _writes.Checkpoint(_file.Database, _file);
            return true;
        }
        catch (Exception error) when (error is IOException or LiteException)
        {
            StoreLog.JournalNotCheckpointed(_log, error.Message);
            return false;
        }
    }

    /// <summary>The snapshot's token, committed into the store; null (no snapshot, a scan next time) if the store cannot take it.</summary>
    private byte[]? NewSnapshotToken()
    {
        try
        {
            return IndexSnapshot.NewToken(_file);
        }
        catch (Exception error) when (error is IOException or LiteException)
        {
            StoreLog.IndexNotSaved(_log, error.Message);
            return null;
        }
    }

    /// <summary>A clean stop leaves the index for the next start; a failure only costs that start a scan.</summary>
    private void SaveIndex(byte[]? token)
    {
        if (token is null)
        {
            return;
        }

        try
        {
            var bytes = IndexSnapshot.Write(_file.Path, token, _index, _writes.LastPackId);
            StoreLog.IndexSaved(_log, _index.Count, bytes);
        }
        catch (IOException error)
        {
            StoreLog.IndexNotSaved(_log, error.Message);
        }
    }

    private StoreOutcome Insert(StoredMessage message, bool replaceNamespace)
    {
        if (FindByHash(message.Hash) is { } existing)
        {
            var expiry = existing.Message.ExpiryMs;
            if (message.ExpiryMs > expiry)
            {
                SetExpiry(existing.Row, message.ExpiryMs);
                expiry = message.ExpiryMs;
            }

            return new StoreOutcome(StoreStatus.AlreadyExisted, expiry);
        }

        if (replaceNamespace)
        {
            foreach (var (row, old) in MessagesWritten(message.Owner, message.Namespace))
            {
                Delete(row, old);
            }
        }

        var added = _writes.Add(message);
        _index.Add(message.Hash, message.Owner, message.Namespace, added, message.ExpiryMs, StorageCapacity.CostOf(message));
        return new StoreOutcome(StoreStatus.Inserted, message.ExpiryMs);
    }

    private void Delete(long row, StoredMessage message)
    {
        _writes.Remove(row);
        _index.Remove(message.Hash, message.Owner, message.Namespace, row, message.ExpiryMs, StorageCapacity.CostOf(message));
    }

    private void SetExpiry(long row, long expiryMs)
    {
        _writes.SetExpiry(row, expiryMs);
        _index.Reschedule(row, expiryMs);
    }

    private Task<IReadOnlyList<NamespacedHash>> DeleteMatchingAsync(AccountId owner, short? ns, Func<StoredMessage, bool> matches, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync<IReadOnlyList<NamespacedHash>>(_ =>
        {
            var deleted = new List<NamespacedHash>();
            foreach (var (row, message) in MessagesWritten(owner, ns).Where(m => matches(m.Message)))
            {
                Delete(row, message);
                deleted.Add(new NamespacedHash(message.Namespace, message.Hash));
            }

            return deleted;
        }, cancellationToken);

    /// <summary>An owner's messages as the writer sees them in the current batch.</summary>
    private List<(long Row, StoredMessage Message)> MessagesWritten(AccountId owner, short? ns)
    {
        var rows = _index.RowsOfOwner(owner, ns);
        _writes.Preload(rows);
        return [.. rows.Select(row => (Row: row, Message: _writes.Get(row)))
            .Where(m => m.Message is not null && m.Message.Owner.Equals(owner) && (ns is null || m.Message.Namespace == ns))
            .Select(m => (m.Row, m.Message!))];
    }

    /// <summary>Reads committed rows, each pack once: from the read cache, the rest in one query.</summary>
    private Dictionary<long, StoredMessage> ReadRows(List<long> rows)
    {
        var found = new Dictionary<long, StoredMessage>(rows.Count);
        if (rows.Count == 0)
        {
            return found;
        }

        var commitsBeforeRead = _cache.Commits;
        var packs = new Dictionary<long, byte[]>();
        var notUnflushed = new List<long>();
        foreach (var id in rows.Select(Pack.PackOf).Distinct())
        {
            // A pack committed through the journal is not in LiteDB yet (null: deleted since).
            if (!_writes.TryGetUnflushed(id, out var blob))
            {
                notUnflushed.Add(id);
            }
            else if (blob is not null)
            {
                packs[id] = blob;
            }
        }

        var missed = _cache.GetMany(notUnflushed, packs);
        if (missed.Count > 0)
        {
            foreach (var document in Pack.FindMany(_packs, missed))
            {
                var (id, blob) = (Pack.IdOf(document), Pack.BlobOf(document));
                packs[id] = blob;
                _cache.Fill(id, blob, commitsBeforeRead);
            }
        }

        foreach (var row in rows)
        {
            if (packs.TryGetValue(Pack.PackOf(row), out var pack) && ReadVerified(pack, row) is { } message)
            {
                found[row] = message;
            }
        }

        return found;
    }

    private long _damagedDropped;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, bool> _damagedRows = new();

    /// <summary>
    /// A message as read from its pack, served only if its data still matches its hash: a card that flipped bits
    /// (or a pack that no longer decodes) costs only the messages it damaged, which are counted, reported in health
    /// and deleted, never served. The swarm's other members keep their copies.
    /// </summary>
    private StoredMessage? ReadVerified(byte[] pack, long row)
    {
        StoredMessage? message;
        try
        {
            message = Pack.Read(pack, row);
        }
        catch (Exception error) when (DamagedStoreException.Indicates(error) || error is IndexOutOfRangeException or FormatException or OverflowException)
        {
            DropDamaged(row, null);
            return null;
        }

        if (message is null || MessageHash.Compute(message.Owner, message.Namespace, message.Data) == message.Hash)
        {
            return message;
        }

        DropDamaged(row, message);
        return null;
    }

    private void DropDamaged(long row, StoredMessage? message)
    {
        if (!_damagedRows.TryAdd(row, true))
        {
            return;
        }

        Interlocked.Increment(ref _damagedDropped);
        if (message is not null)
        {
            // Deleted by the writer like any message, so the index and the pack stay in step. Should that fail (the
            // store stopping), the reopened store finds the message damaged again at its next read.
            _ = _writer.EnqueueAsync(_ =>
            {
                if (_writes.Get(row) is { } stored && stored.Hash == message.Hash)
                {
                    Delete(row, stored);
                }

                return 0;
            }, CancellationToken.None).ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    /// <summary>The index names a candidate row; the writer's copy of its pack confirms it holds this very hash.</summary>
    private (long Row, StoredMessage Message)? FindByHash(string hash) =>
        _index.CandidateRow(hash) is { } row && _writes.Get(row) is { } message && message.Hash == hash
            ? (row, message)
            : null;

    /// <summary>What the writer does around each batch: write its packs, make it durable, then keep or undo the index changes.</summary>
    private sealed class CommitHooks(StoreFile file, MessageIndex index, PackWriter writes) : GroupCommitWriter.IHooks
    {
        public void BeforeCommit() => writes.Flush();

        public void AfterCommit()
        {
            writes.Committed();
            index.Commit();
            writes.MakeDurable(file);
        }

        public void AfterRollback()
        {
            writes.Discard();
            index.Rollback();
        }
    }
}
