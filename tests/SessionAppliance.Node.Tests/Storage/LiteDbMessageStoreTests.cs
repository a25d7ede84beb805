using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Tests.Storage;

public sealed class LiteDbMessageStoreTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("sa-store-").FullName, "messages.db");
    private readonly AccountId _owner = AccountId.Parse("05" + new string('a', 64));
    private LiteDbMessageStore _store = null!;

    public Task InitializeAsync()
    {
        _store = Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private LiteDbMessageStore Open(long capacity = 1L << 30) =>
        new(_path, new StorageOptions { CapacityBytes = capacity, CommitsPerSecond = 0 }, TimeProvider.System);

    private StoredMessage Message(short ns, byte fill, long expiry = 2_000_000_000_000, int size = 16)
    {
        var data = Enumerable.Repeat(fill, size).ToArray();
        return new StoredMessage(_owner, ns, MessageHash.Compute(_owner, ns, data), 1_700_000_000_000 + fill, expiry, data);
    }

    [Fact]
    public async Task Messages_survive_a_reopen_and_row_ids_keep_increasing()
    {
        await _store.StoreAsync(Message(0, 1), false, default);
        await _store.DisposeAsync();
        _store = Open();
        await _store.StoreAsync(Message(0, 2), false, default);

        var page = _store.Retrieve(_owner, 0, null, RetrieveLimits.FromRequest(0, 0));

        Assert.Equal([Message(0, 1).Hash, Message(0, 2).Hash], page.Messages.Select(m => m.Hash));
    }

    [Fact]
    public async Task Concurrent_stores_are_committed_in_few_transactions()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => _store.StoreAsync(Message(0, (byte)i, size: 20 + i), false, default)));

        Assert.Equal(200, _store.Statistics().MessageCount);
        Assert.True(_store.Commits < 200, $"{_store.Commits} commits for 200 concurrent stores");
    }

    [Fact]
    public async Task Expired_messages_are_deleted_by_the_sweep()
    {
        await _store.StoreAsync(Message(0, 1, expiry: 1_000), false, default);
        await _store.StoreAsync(Message(0, 2, expiry: 5_000), false, default);

        var removed = await _store.DeleteExpiredAsync(2_000, default);

        Assert.Equal(1, removed);
        Assert.Equal([Message(0, 2).Hash], _store.Retrieve(_owner, 0, null, RetrieveLimits.FromRequest(0, 0)).Messages.Select(m => m.Hash));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_store_filled_to_the_cap_and_emptied_takes_as_many_again_at_once_without_a_restart(bool byExpiry)
    {
        await _store.DisposeAsync();
        _store = Open(capacity: 1 << 20);
        var first = await FillAsync(round: 0, expiry: 10_000);
        Assert.Equal(StoreStatus.StorageFull, (await _store.StoreAsync(Message(1, 0, size: 50_000), false, default)).Status);

        if (byExpiry)
        {
            await _store.DeleteExpiredAsync(20_000, default);
        }
        else
        {
            await _store.DeleteAllAsync(_owner, null, default);
        }

        var second = await FillAsync(round: 1, expiry: 2_000_000_000_000);
        Assert.InRange(second, first * 0.95, first * 1.05);
    }

    /// <summary>Stores 50 kB messages until the cap refuses one; returns how many it took.</summary>
    private async Task<int> FillAsync(int round, long expiry)
    {
        var stored = 0;
        while ((await _store.StoreAsync(Message((short)(2 + round), (byte)stored, expiry, size: 50_000 + stored), false, default)).Status == StoreStatus.Inserted)
        {
            stored++;
            Assert.True(stored < 500, "the 1 MiB cap never refused a 50 kB message");
        }

        return stored;
    }

    [Fact]
    public async Task A_full_store_refuses_new_messages_and_keeps_the_old_ones()
    {
        await _store.DisposeAsync();
        _store = Open(capacity: 1 << 20);
        var stored = 0;
        StoreOutcome outcome;
        do
        {
            outcome = await _store.StoreAsync(Message(0, (byte)stored, size: 50_000 + stored), false, default);
            stored++;
        }
        while (outcome.Status != StoreStatus.StorageFull && stored < 200);

        Assert.Equal(StoreStatus.StorageFull, outcome.Status);
        Assert.Equal(stored - 1, _store.Statistics().MessageCount);
        Assert.True(_store.Statistics().IsFull);
    }

    [Fact]
    public async Task Expiry_updates_respect_extend_and_shorten_modes()
    {
        var message = Message(0, 1, expiry: 10_000);
        await _store.StoreAsync(message, false, default);

        var extendEarlier = await _store.UpdateExpiryAsync(_owner, [message.Hash], [5_000], ExpiryChangeMode.ExtendOnly, default);
        var shortenEarlier = await _store.UpdateExpiryAsync(_owner, [message.Hash], [5_000], ExpiryChangeMode.ShortenOnly, default);

        Assert.Equal(10_000, extendEarlier.Unchanged[message.Hash]);
        Assert.Equal([(message.Hash, 5_000L)], shortenEarlier.Updated);
        Assert.Equal(5_000, _store.GetExpiries(_owner, [message.Hash])[message.Hash]);
    }

    [Fact]
    public async Task Namespace_bounds_do_not_leak_between_neighbouring_namespaces()
    {
        await _store.StoreAsync(Message(-1, 1), false, default);
        await _store.StoreAsync(Message(0, 2), false, default);
        await _store.StoreAsync(Message(1, 3), false, default);
        await _store.StoreAsync(Message(short.MaxValue, 4), false, default);
        await _store.StoreAsync(Message(short.MinValue, 5), false, default);

        foreach (var (ns, fill) in new[] { ((short)-1, (byte)1), ((short)0, (byte)2), ((short)1, (byte)3), (short.MaxValue, (byte)4), (short.MinValue, (byte)5) })
        {
            Assert.Equal([Message(ns, fill).Hash], _store.Retrieve(_owner, ns, null, RetrieveLimits.FromRequest(0, 0)).Messages.Select(m => m.Hash));
        }

        Assert.Equal(5, (await _store.DeleteAllAsync(_owner, null, default)).Count);
    }
}
