using LiteDB;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The message store: an append-only LiteDB collection keyed by row id, with every lookup in a
/// <see cref="MessageIndex"/> in memory. Reads run on the caller's thread against committed data; every write
/// goes through the <see cref="GroupCommitWriter"/> and completes only after its batch is on the card.
/// </summary>
public sealed class LiteDbMessageStore : IMessageStore
{
    private readonly StoreFile _file;
    private readonly ILiteCollection<BsonDocument> _messages;
    private readonly RevocationList _revocations;
    private readonly MessageIndex _index = new();
    private readonly GroupCommitWriter _writer;
    private readonly long _capacityBytes;
    private long _nextRow = 1;

    public LiteDbMessageStore(string path, StorageOptions options, TimeProvider time, IProgress<double>? loading = null)
    {
        _file = StoreFile.Open(path, Meter);
        _capacityBytes = StorageCapacity.Resolve(options.CapacityBytes, path, _file.SizeBytes);
        try
        {
            _messages = _file.Database.GetCollection(MessageDocument.Collection);
            _revocations = new RevocationList(_file.Database);
            LoadIndex(loading);
        }
        catch (Exception error) when (DamagedStoreException.Indicates(error))
        {
            _file.Dispose();
            throw DamagedStoreException.For(path, error);
        }

        _writer = new GroupCommitWriter(_file.Database, options, time, new CommitHooks(_file, _index));
    }

    /// <summary>Transactions committed so far (one per batch of writes).</summary>
    public long Commits => _writer.Commits;

    /// <summary>The syncs the store has forced on its files.</summary>
    public DiskWriteMeter Meter { get; } = new();

    public Task<StoreOutcome> StoreAsync(StoredMessage message, bool replaceNamespace, CancellationToken cancellationToken)
    {
        if (_file.SizeBytes >= _capacityBytes)
        {
            return Task.FromResult(StoreOutcome.Full);
        }

        return _writer.EnqueueAsync(_ => Insert(message, replaceNamespace), cancellationToken);
    }

    public RetrievePage Retrieve(AccountId owner, short ns, string? lastHash, RetrieveLimits limits)
    {
        var after = 0L;
        if (lastHash is not null && FindByHash(lastHash) is { } previous
            && MessageDocument.BelongsTo(previous, owner) && MessageDocument.NamespaceOf(previous) == ns)
        {
            after = MessageDocument.RowOf(previous);
        }

        var messages = new List<StoredMessage>();
        long spent = 0;
        var fetchLimit = limits.MaxCount == int.MaxValue ? int.MaxValue : limits.MaxCount + 1;
        // A row the writer has indexed but not yet committed (or just deleted) reads as absent.
        foreach (var document in ReadRows(_index.RowsOf(owner, ns, after, fetchLimit)))
        {
            var message = MessageDocument.ToMessage(document);
            spent += RetrieveLimits.CostOf(message.Hash.Length, message.Data.Length);
            if (messages.Count == limits.MaxCount || (messages.Count > 0 && spent > limits.MaxBytes))
            {
                return new RetrievePage(messages, More: true);
            }

            messages.Add(message);
        }

        return new RetrievePage(messages, More: false);
    }

    public IReadOnlyDictionary<string, long> GetExpiries(AccountId owner, IReadOnlyList<string> hashes)
    {
        var expiries = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var hash in hashes)
        {
            if (FindByHash(hash) is { } document && MessageDocument.BelongsTo(document, owner))
            {
                expiries[hash] = MessageDocument.ExpiryOf(document);
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
                if (FindByHash(hash) is { } document && MessageDocument.BelongsTo(document, owner))
                {
                    Delete(document);
                    deleted.Add(hash);
                }
            }

            return deleted;
        }, cancellationToken);

    public Task<IReadOnlyList<NamespacedHash>> DeleteAllAsync(AccountId owner, short? ns, CancellationToken cancellationToken) =>
        DeleteMatchingAsync(owner, ns, _ => true, cancellationToken);

    public Task<IReadOnlyList<NamespacedHash>> DeleteBeforeAsync(AccountId owner, short? ns, long beforeMs, CancellationToken cancellationToken) =>
        DeleteMatchingAsync(owner, ns, document => document[MessageDocument.Timestamp].AsInt64 <= beforeMs, cancellationToken);

    public Task<ExpiryUpdate> UpdateExpiryAsync(AccountId owner, IReadOnlyList<string> hashes, IReadOnlyList<long> expiriesMs, ExpiryChangeMode mode, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(_ =>
        {
            var updated = new Dictionary<string, long>(StringComparer.Ordinal);
            var unchanged = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < hashes.Count; i++)
            {
                if (FindByHash(hashes[i]) is not { } document || !MessageDocument.BelongsTo(document, owner))
                {
                    continue;
                }

                var current = MessageDocument.ExpiryOf(document);
                var wanted = expiriesMs[i];
                var allowed = mode switch
                {
                    ExpiryChangeMode.ExtendOnly => wanted > current,
                    ExpiryChangeMode.ShortenOnly => wanted < current,
                    _ => true,
                };
                if (!allowed)
                {
                    unchanged[hashes[i]] = current;
                    continue;
                }

                SetExpiry(document, wanted);
                updated[hashes[i]] = wanted;
            }

            return new ExpiryUpdate(updated, unchanged);
        }, cancellationToken);

    public Task<IReadOnlyList<NamespacedHash>> ShortenAllAsync(AccountId owner, short? ns, long expiryMs, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync<IReadOnlyList<NamespacedHash>>(_ =>
        {
            var changed = new List<NamespacedHash>();
            foreach (var document in DocumentsOf(owner, ns).Where(d => MessageDocument.ExpiryOf(d) > expiryMs))
            {
                SetExpiry(document, expiryMs);
                changed.Add(MessageDocument.NamespacedHashOf(document));
            }

            return changed;
        }, cancellationToken);

    public Task RevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, long timestampMs, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(_ => _revocations.Add(owner, tokens, timestampMs), cancellationToken);

    public Task<int> UnrevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(_ => _revocations.Remove(owner, tokens), cancellationToken);

    public bool IsRevoked(AccountId owner, ReadOnlySpan<byte> token) => _revocations.Contains(owner, token);

    public IReadOnlyList<byte[]> RevokedTokens(AccountId owner) => _revocations.Of(owner);

    /// <summary>Drops the expiry buckets that are due; rows an expire moved elsewhere are skipped.</summary>
    public Task<int> DeleteExpiredAsync(long nowMs, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(_ =>
        {
            var deleted = 0;
            foreach (var row in _index.TakeDueRows(nowMs))
            {
                if (_messages.FindById(row) is not { } document)
                {
                    continue;
                }

                var expiry = MessageDocument.ExpiryOf(document);
                if (expiry <= nowMs)
                {
                    Delete(document);
                    deleted++;
                }
                else if (expiry / MessageIndex.BucketMs <= nowMs / MessageIndex.BucketMs)
                {
                    _index.Reschedule(row, expiry);
                }
            }

            return deleted;
        }, cancellationToken);

    public IReadOnlyList<AccountId> Owners() => _index.Owners();

    public IReadOnlyList<StoredMessage> MessagesOf(AccountId owner) => [.. DocumentsOf(owner, null).Select(MessageDocument.ToMessage)];

    public (long UsedBytes, long CapacityBytes) Usage() => (_file.SizeBytes, _capacityBytes);

    public StoreStatistics Statistics() => new(_index.Count, _file.SizeBytes, _capacityBytes);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _file.Dispose();
    }

    private void LoadIndex(IProgress<double>? loading)
    {
        var total = Math.Max(1, _messages.LongCount());
        long seen = 0;
        foreach (var document in _messages.FindAll())
        {
            var row = MessageDocument.RowOf(document);
            var hash = MessageDocument.HashOf(document);
            _index.Add(hash, MessageDocument.OwnerOf(document), MessageDocument.NamespaceOf(document), row, MessageDocument.ExpiryOf(document));
            _nextRow = Math.Max(_nextRow, row + 1);
            if (++seen % 10_000 == 0)
            {
                loading?.Report((double)seen / total);
            }
        }

        _index.Commit();
        loading?.Report(1);
    }

    private StoreOutcome Insert(StoredMessage message, bool replaceNamespace)
    {
        if (FindByHash(message.Hash) is { } existing)
        {
            var expiry = MessageDocument.ExpiryOf(existing);
            if (message.ExpiryMs > expiry)
            {
                SetExpiry(existing, message.ExpiryMs);
                expiry = message.ExpiryMs;
            }

            return new StoreOutcome(StoreStatus.AlreadyExisted, expiry);
        }

        if (replaceNamespace)
        {
            foreach (var document in DocumentsOf(message.Owner, message.Namespace))
            {
                Delete(document);
            }
        }

        var row = _nextRow++;
        _messages.Insert(MessageDocument.From(message, row));
        _index.Add(message.Hash, message.Owner, message.Namespace, row, message.ExpiryMs);
        return new StoreOutcome(StoreStatus.Inserted, message.ExpiryMs);
    }

    private void Delete(BsonDocument document)
    {
        var row = MessageDocument.RowOf(document);
        _messages.Delete(row);
        _index.Remove(MessageDocument.HashOf(document), MessageDocument.OwnerOf(document), MessageDocument.NamespaceOf(document), row, MessageDocument.ExpiryOf(document));
    }

    private void SetExpiry(BsonDocument document, long expiryMs)
    {
        document[MessageDocument.Expiry] = expiryMs;
        _messages.Update(document);
        _index.Reschedule(MessageDocument.RowOf(document), expiryMs);
    }

    private Task<IReadOnlyList<NamespacedHash>> DeleteMatchingAsync(AccountId owner, short? ns, Func<BsonDocument, bool> matches, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync<IReadOnlyList<NamespacedHash>>(_ =>
        {
            var deleted = new List<NamespacedHash>();
            foreach (var document in DocumentsOf(owner, ns).Where(matches))
            {
                Delete(document);
                deleted.Add(MessageDocument.NamespacedHashOf(document));
            }

            return deleted;
        }, cancellationToken);

    private List<BsonDocument> DocumentsOf(AccountId owner, short? ns) => ReadRows(_index.RowsOfOwner(owner, ns));

    /// <summary>
    /// Reads rows in one query: LiteDB's per-query cost (planning, snapshot) is several times a document read,
    /// so one parameterised IN (its parse is cached) beats a FindById per row. Results come back in row order.
    /// </summary>
    private List<BsonDocument> ReadRows(List<long> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = new BsonArray(rows.Select(row => new BsonValue(row)));
        var documents = _messages.Find(BsonExpression.Create("_id IN @0", ids)).ToList();
        documents.Sort((a, b) => MessageDocument.RowOf(a).CompareTo(MessageDocument.RowOf(b)));
        return documents;
    }

    /// <summary>The index names a candidate row; the document confirms it holds this very hash.</summary>
    private BsonDocument? FindByHash(string hash) =>
        _index.CandidateRow(hash) is { } row && _messages.FindById(row) is { } document && MessageDocument.HashOf(document) == hash
            ? document
            : null;

    /// <summary>What the writer does around each batch: make it durable, then keep or undo the index changes.</summary>
    private sealed class CommitHooks(StoreFile file, MessageIndex index) : GroupCommitWriter.IHooks
    {
        public void AfterCommit()
        {
            file.MakeCommitsDurable();
            index.Commit();
        }

        public void AfterRollback() => index.Rollback();
    }
}
