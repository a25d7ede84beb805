using LiteDB;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The message store on LiteDB. Reads run on the caller's thread against committed data; every write goes
/// through the <see cref="GroupCommitWriter"/>.
/// </summary>
public sealed class LiteDbMessageStore : IMessageStore
{
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _messages;
    private readonly RevocationList _revocations;
    private readonly GroupCommitWriter _writer;
    private readonly string _path;
    private readonly long _capacityBytes;
    private readonly RowCounter _rowCounter;

    public LiteDbMessageStore(string path, StorageOptions options, TimeProvider time)
    {
        _path = path;
        _capacityBytes = options.CapacityBytes;
        _database = StoreFile.Open(path);
        _messages = _database.GetCollection(MessageDocument.Collection);
        _messages.EnsureIndex(MessageDocument.Key, unique: true);
        _messages.EnsureIndex(MessageDocument.Expiry);
        _revocations = new RevocationList(_database);
        _rowCounter = new RowCounter(_database);
        _writer = new GroupCommitWriter(_database, options, time, _rowCounter.Persist);
    }

    /// <summary>Transactions committed so far (one per batch of writes).</summary>
    public long Commits => _writer.Commits;

    public Task<StoreOutcome> StoreAsync(StoredMessage message, bool replaceNamespace, CancellationToken cancellationToken)
    {
        if (StoreFile.SizeOf(_path) >= _capacityBytes)
        {
            return Task.FromResult(StoreOutcome.Full);
        }

        return _writer.EnqueueAsync(_ => Insert(message, replaceNamespace), cancellationToken);
    }

    public RetrievePage Retrieve(AccountId owner, short ns, string? lastHash, RetrieveLimits limits)
    {
        var (first, last) = MessageKey.RangeOf(owner, ns);
        if (lastHash is not null && FindByHash(lastHash) is { } previous && MessageKey.SameStream(previous[MessageDocument.Key].AsBinary, owner, ns))
        {
            first = MessageKey.Of(owner, ns, MessageKey.RowIdOf(previous[MessageDocument.Key].AsBinary) + 1);
        }

        var messages = new List<StoredMessage>();
        long spent = 0;
        var fetchLimit = limits.MaxCount == int.MaxValue ? int.MaxValue : limits.MaxCount + 1;
        foreach (var document in _messages.Find(Query.Between(MessageDocument.Key, first, last), 0, fetchLimit))
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
                expiries[hash] = document[MessageDocument.Expiry].AsInt64;
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
                if (FindByHash(hash) is { } document && MessageDocument.BelongsTo(document, owner) && _messages.Delete(hash))
                {
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

                var current = document[MessageDocument.Expiry].AsInt64;
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

                document[MessageDocument.Expiry] = wanted;
                _messages.Update(document);
                updated[hashes[i]] = wanted;
            }

            return new ExpiryUpdate(updated, unchanged);
        }, cancellationToken);

    public Task<IReadOnlyList<NamespacedHash>> ShortenAllAsync(AccountId owner, short? ns, long expiryMs, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync<IReadOnlyList<NamespacedHash>>(_ =>
        {
            var changed = new List<NamespacedHash>();
            foreach (var document in OwnerDocuments(owner, ns).Where(d => d[MessageDocument.Expiry].AsInt64 > expiryMs).ToList())
            {
                document[MessageDocument.Expiry] = expiryMs;
                _messages.Update(document);
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

    public Task<int> DeleteExpiredAsync(long nowMs, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync(_ => _messages.DeleteMany(Query.LTE(MessageDocument.Expiry, nowMs)), cancellationToken);

    public (long UsedBytes, long CapacityBytes) Usage() => (StoreFile.SizeOf(_path), _capacityBytes);

    public StoreStatistics Statistics() => new(_messages.LongCount(), StoreFile.SizeOf(_path), _capacityBytes);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _database.Dispose();
    }

    private StoreOutcome Insert(StoredMessage message, bool replaceNamespace)
    {
        if (FindByHash(message.Hash) is { } existing)
        {
            var expiry = existing[MessageDocument.Expiry].AsInt64;
            if (message.ExpiryMs > expiry)
            {
                existing[MessageDocument.Expiry] = message.ExpiryMs;
                _messages.Update(existing);
                expiry = message.ExpiryMs;
            }

            return new StoreOutcome(StoreStatus.AlreadyExisted, expiry);
        }

        if (replaceNamespace)
        {
            var (first, last) = MessageKey.RangeOf(message.Owner, message.Namespace);
            _messages.DeleteMany(Query.Between(MessageDocument.Key, first, last));
        }

        _messages.Insert(MessageDocument.From(message, _rowCounter.Next()));
        return new StoreOutcome(StoreStatus.Inserted, message.ExpiryMs);
    }

    private Task<IReadOnlyList<NamespacedHash>> DeleteMatchingAsync(AccountId owner, short? ns, Func<BsonDocument, bool> matches, CancellationToken cancellationToken) =>
        _writer.EnqueueAsync<IReadOnlyList<NamespacedHash>>(_ =>
        {
            var deleted = new List<NamespacedHash>();
            foreach (var document in OwnerDocuments(owner, ns).Where(matches).ToList())
            {
                _messages.Delete(document[MessageDocument.Hash]);
                deleted.Add(MessageDocument.NamespacedHashOf(document));
            }

            return deleted;
        }, cancellationToken);

    private IEnumerable<BsonDocument> OwnerDocuments(AccountId owner, short? ns)
    {
        var (first, last) = MessageKey.RangeOf(owner, ns);
        return _messages.Find(Query.Between(MessageDocument.Key, first, last));
    }

    /// <summary>The hash is the document id: a primary-key seek, far cheaper in LiteDB than a query on a field.</summary>
    private BsonDocument? FindByHash(string hash) => _messages.FindById(hash);
}
