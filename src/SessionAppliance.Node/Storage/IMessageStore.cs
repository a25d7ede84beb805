using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The node's message store. Writes go through one writer and complete only once durable; reads see
/// committed data. A <c>null</c> namespace means "all namespaces".
/// </summary>
public interface IMessageStore : IAsyncDisposable
{
    Task<StoreOutcome> StoreAsync(StoredMessage message, bool replaceNamespace, CancellationToken cancellationToken);

    /// <summary>Messages after <paramref name="lastHash"/> in insertion order, until a limit is met.</summary>
    RetrievePage Retrieve(AccountId owner, short ns, string? lastHash, RetrieveLimits limits);

    IReadOnlyDictionary<string, long> GetExpiries(AccountId owner, IReadOnlyList<string> hashes);

    Task<IReadOnlyList<string>> DeleteAsync(AccountId owner, IReadOnlyList<string> hashes, CancellationToken cancellationToken);

    Task<IReadOnlyList<NamespacedHash>> DeleteAllAsync(AccountId owner, short? ns, CancellationToken cancellationToken);

    /// <summary>Deletes messages whose own timestamp is at or before <paramref name="beforeMs"/>.</summary>
    Task<IReadOnlyList<NamespacedHash>> DeleteBeforeAsync(AccountId owner, short? ns, long beforeMs, CancellationToken cancellationToken);

    /// <summary>One expiry for every hash (<paramref name="expiriesMs"/> of one), or one per hash in order.</summary>
    Task<ExpiryUpdate> UpdateExpiryAsync(AccountId owner, IReadOnlyList<string> hashes, IReadOnlyList<long> expiriesMs, ExpiryChangeMode mode, CancellationToken cancellationToken);

    /// <summary>Shortens (never extends) every matching message's expiry to <paramref name="expiryMs"/>.</summary>
    Task<IReadOnlyList<NamespacedHash>> ShortenAllAsync(AccountId owner, short? ns, long expiryMs, CancellationToken cancellationToken);

    Task RevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, long nowMs, CancellationToken cancellationToken);

    Task<int> UnrevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, CancellationToken cancellationToken);

    bool IsRevoked(AccountId owner, ReadOnlySpan<byte> token);

    IReadOnlyList<byte[]> RevokedTokens(AccountId owner);

    Task<int> DeleteExpiredAsync(long nowMs, CancellationToken cancellationToken);

    /// <summary>The message with this hash, whoever owns it (the storage test asks by hash alone).</summary>
    StoredMessage? Find(string hash);

    /// <summary>Every account that has messages here, for moving them when swarms change.</summary>
    IReadOnlyList<AccountId> Owners();

    /// <summary>All of an account's messages, every namespace.</summary>
    IReadOnlyList<StoredMessage> MessagesOf(AccountId owner);

    /// <summary>Message count, bytes on disk and the cap.</summary>
    StoreStatistics Statistics();

    /// <summary>Bytes on disk and the cap; cheap enough to call every second.</summary>
    (long UsedBytes, long CapacityBytes) Usage();
}
