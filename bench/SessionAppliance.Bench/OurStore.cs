using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Bench;

/// <summary>The node's own store, driven the way the node drives it: many concurrent callers, one writer.</summary>
internal sealed class OurStore(string path, StorageOptions options, string cacheNote) : IBenchStore
{
    private readonly LiteDbMessageStore _store = new(path, options, TimeProvider.System);

    public string Name => $"ours ({options.CommitsPerSecond:0} commits/s budget, {cacheNote})";

    public int StoreConcurrency => 512;

    public long Syncs => _store.Meter.Syncs;

    public long FileBytes => _store.Statistics().FileBytes;

    public long Count => _store.Statistics().MessageCount;

    public ReadCacheFigures? ReadCache => _store.ReadCache;

    public Task PreloadAsync(List<StoredMessage> messages) => ChurnAsync(messages);

    public async Task<bool> StoreAsync(StoredMessage message) =>
        (await _store.StoreAsync(message, replaceNamespace: false, CancellationToken.None)).Status == StoreStatus.Inserted;

    public int RetrieveTwenty((AccountId Owner, string LastHash) target) =>
        _store.Retrieve(target.Owner, 0, target.LastHash, new RetrieveLimits(20, RetrieveLimits.AbsoluteMaxBytes)).Messages.Count;

    public Task ChurnAsync(List<StoredMessage> messages) =>
        Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = StoreConcurrency }, async (message, _) => await StoreAsync(message));

    public Task DeleteExpiredAsync(long nowMs) => _store.DeleteExpiredAsync(nowMs, CancellationToken.None);

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
