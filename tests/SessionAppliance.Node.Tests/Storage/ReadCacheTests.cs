using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>The read cache of packs: its budget, and that a reader never sees a pack older than a commit it waited for.</summary>
public sealed class ReadCacheTests() : TemporaryStore("sa-cache-")
{
    private readonly AccountId _owner = AccountId.Parse("05" + new string('d', 64));

    [Fact]
    public void The_least_recently_used_pack_leaves_first_and_the_budget_holds()
    {
        var cache = new PackCache(budgetBytes: 3 * (1_000 + 128));
        foreach (var id in new long[] { 1, 2, 3 })
        {
            cache.Fill(id, new byte[1_000], cache.Commits);
        }

        cache.GetMany([1], []);
        cache.Fill(4, new byte[1_000], cache.Commits);

        var found = new Dictionary<long, byte[]>();
        Assert.Equal([2], cache.GetMany([1, 2, 3, 4], found));
        Assert.True(cache.Figures.HeldBytes <= 3 * (1_000 + 128));
    }

    [Fact]
    public void A_fill_read_before_a_commit_is_dropped_and_the_commit_wins()
    {
        var cache = new PackCache(budgetBytes: 1 << 20);
        var commitsBeforeRead = cache.Commits;
        byte[] committed = [2];
        cache.Commit([(7, committed), (8, null)]);

        cache.Fill(7, [1], commitsBeforeRead);
        cache.Fill(8, [1], commitsBeforeRead);

        var found = new Dictionary<long, byte[]>();
        Assert.Equal([8], cache.GetMany([7, 8], found));
        Assert.Same(committed, found[7]);
    }

    [Fact]
    public void A_cache_of_zero_bytes_holds_nothing()
    {
        var cache = new PackCache(budgetBytes: 0);
        cache.Fill(1, [1], cache.Commits);
        cache.Commit([(2, [2])]);

        Assert.Equal([1, 2], cache.GetMany([1, 2], []));
    }

    [Fact]
    public async Task Readers_racing_the_writer_never_see_a_change_older_than_one_already_acknowledged()
    {
        // A cache smaller than the store keeps readers missing and filling while the writer commits.
        Store = new LiteDbMessageStore(StorePath, new StorageOptions { CommitsPerSecond = 0, ReadCacheBytes = 8 << 10 }, TimeProvider.System);
        var messages = Enumerable.Range(0, 200).Select(i => Message(i, expiry: 2_000_000_000_000)).ToList();
        await Task.WhenAll(messages.Select(m => Store.StoreAsync(m, false, default)));
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Store.Retrieve(_owner, 0, messages[Random.Shared.Next(messages.Count)].Hash, new RetrieveLimits(20, RetrieveLimits.AbsoluteMaxBytes));
            }
        })).ToList();

        for (var i = 0; i < 150; i++)
        {
            var target = messages[Random.Shared.Next(messages.Count - 1)];
            var expiry = 2_000_000_000_000 + ((i + 1) * 1_000);
            await Store.UpdateExpiryAsync(_owner, [target.Hash], [expiry], ExpiryChangeMode.Any, default);

            var seen = Store.Retrieve(_owner, 0, null, RetrieveLimits.FromRequest(0, 0)).Messages.Single(m => m.Hash == target.Hash);
            Assert.Equal(expiry, seen.ExpiryMs);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(Store.ReadCache.Misses > 0 && Store.ReadCache.Hits > 0, $"{Store.ReadCache}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_store_reopened_by_a_scan_serves_its_newest_packs_from_the_cache_and_one_reopened_from_its_snapshot_fills_it_on_demand(bool scanned)
    {
        Store = new LiteDbMessageStore(StorePath, new StorageOptions { CommitsPerSecond = 0 }, TimeProvider.System);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Store.StoreAsync(Message(i, size: 1_024), false, default)));
        await Store.DisposeAsync();
        if (scanned)
        {
            File.Delete(IndexSnapshot.PathOf(StorePath));
        }

        Store = new LiteDbMessageStore(StorePath, new StorageOptions { CommitsPerSecond = 0 }, TimeProvider.System);
        Assert.Equal(50, Store.Retrieve(_owner, 0, null, RetrieveLimits.FromRequest(0, 0)).Messages.Count);
        var missesOfFirstRead = Store.ReadCache.Misses;
        Assert.Equal(50, Store.Retrieve(_owner, 0, null, RetrieveLimits.FromRequest(0, 0)).Messages.Count);

        Assert.Equal(scanned ? 0 : missesOfFirstRead, Store.ReadCache.Misses);
        Assert.True(scanned || missesOfFirstRead > 0, "a snapshot start reads its packs from the file the first time");
    }

    [Theory]
    [InlineData(-1L, false)]
    [InlineData(0L, true)]
    [InlineData(64L << 20, true)]
    [InlineData((1L << 34) + 1, false)]
    public void The_cache_size_is_checked_at_start(long bytes, bool valid)
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { ReadCacheBytes = bytes });

        Assert.Equal(valid, result.Succeeded);
        Assert.True(valid || result.FailureMessage!.Contains("Storage:ReadCacheBytes"), result.FailureMessage);
    }

    private StoredMessage Message(int i, long expiry = 2_000_000_000_000, int size = 64)
    {
        var data = new byte[size];
        BitConverter.TryWriteBytes(data, i);
        return new StoredMessage(_owner, 0, MessageHash.Compute(_owner, 0, data), 1_700_000_000_000 + i, expiry, data);
    }
}
