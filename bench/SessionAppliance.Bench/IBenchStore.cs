using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Bench;

/// <summary>What the storage benchmark does to a store, so ours and the naive baseline run the same phases.</summary>
internal interface IBenchStore : IAsyncDisposable
{
    string Name { get; }

    int StoreConcurrency { get; }

    long Syncs { get; }

    long FileBytes { get; }

    long Count { get; }

    /// <summary>The store's read cache, if it has one.</summary>
    ReadCacheFigures? ReadCache { get; }

    Task PreloadAsync(List<StoredMessage> messages);

    Task<bool> StoreAsync(StoredMessage message);

    int RetrieveTwenty((AccountId Owner, string LastHash) target);

    Task ChurnAsync(List<StoredMessage> messages);

    Task DeleteExpiredAsync(long nowMs);
}
