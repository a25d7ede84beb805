using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>Expiry buckets, moves between them, the capacity rule, and what happens to a damaged file.</summary>
public sealed class StoreLayoutTests() : TemporaryStore("sa-layout-")
{
    private readonly AccountId _owner = AccountId.Parse("05" + new string('b', 64));

    public override Task InitializeAsync()
    {
        Store = Open();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Extending_a_message_moves_it_out_of_the_bucket_being_swept()
    {
        var message = Message(1, expiry: 15_000);
        await Store.StoreAsync(message, false, default);
        await Store.UpdateExpiryAsync(_owner, [message.Hash], [95_000], ExpiryChangeMode.ExtendOnly, default);

        Assert.Equal(0, await Store.DeleteExpiredAsync(50_000, default));
        Assert.Single(All());
        Assert.Equal(1, await Store.DeleteExpiredAsync(95_000, default));
        Assert.Empty(All());
    }

    [Fact]
    public async Task Shortening_a_message_moves_it_into_an_earlier_bucket()
    {
        var message = Message(1, expiry: 900_000);
        await Store.StoreAsync(message, false, default);
        await Store.ShortenAllAsync(_owner, null, 25_000, default);

        Assert.Equal(1, await Store.DeleteExpiredAsync(30_000, default));
        Assert.Empty(All());
    }

    [Fact]
    public async Task A_sweep_inside_a_bucket_keeps_the_messages_not_yet_due()
    {
        await Store.StoreAsync(Message(1, expiry: 21_000), false, default);
        await Store.StoreAsync(Message(2, expiry: 28_000), false, default);

        Assert.Equal(1, await Store.DeleteExpiredAsync(25_000, default));
        Assert.Equal(1, await Store.DeleteExpiredAsync(28_000, default));
        Assert.Empty(All());
    }

    [Fact]
    public async Task The_index_is_rebuilt_from_the_file_on_reopen()
    {
        var kept = Message(1, expiry: 500_000);
        await Store.StoreAsync(kept, false, default);
        await Store.StoreAsync(Message(2, expiry: 40_000), false, default);
        await Store.DisposeAsync();
        Store = Open();

        Assert.Equal(1, await Store.DeleteExpiredAsync(45_000, default));
        Assert.Equal([kept.Hash], All().Select(m => m.Hash));
        Assert.Equal(500_000, Store.GetExpiries(_owner, [kept.Hash])[kept.Hash]);
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_is_refused()
    {
        var error = Assert.Throws<IOException>(() => Open());

        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
        await Store.StoreAsync(Message(1), false, default);
    }

    [Fact]
    public async Task A_garbage_file_is_reported_as_damaged_with_the_recovery_command()
    {
        await Store.DisposeAsync();
        File.WriteAllBytes(StorePath, [.. Enumerable.Range(0, 3 * 8192).Select(i => (byte)(i * 7))]);

        var error = Assert.Throws<DamagedStoreException>(() => Open());

        Assert.Contains("--recover-store", error.Message, StringComparison.Ordinal);
        File.Delete(StorePath);
        File.Delete(StoreFile.MarkerPathOf(StorePath));
        Store = Open();
    }

    [Fact]
    public async Task A_truncated_file_is_reported_as_damaged_not_opened_with_messages_missing()
    {
        for (var i = 0; i < 300; i++)
        {
            await Store.StoreAsync(Message(i, size: 1024), false, default);
        }

        await Store.DisposeAsync();
        using (var file = File.Open(StorePath, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        Assert.Throws<DamagedStoreException>(() => Open());
        File.Delete(StorePath);
        File.Delete(StoreFile.MarkerPathOf(StorePath));
        Store = Open();
    }

    [Fact]
    public async Task Messages_whose_bytes_changed_on_the_card_are_never_served_but_dropped_and_counted()
    {
        var stored = Enumerable.Range(0, 200).Select(i => Message(i, size: 300) with { Data = [.. Payload(i)] }).Select(m => m with { Hash = MessageHash.Compute(_owner, 0, m.Data) }).ToList();
        await Task.WhenAll(stored.Select(m => Store.StoreAsync(m, false, default)));
        await Store.DisposeAsync();

        // Flip one byte inside every fourth message's data, where it lies in the file (LiteDB stores it as is).
        var file = await File.ReadAllBytesAsync(StorePath);
        var damaged = stored.Where((_, i) => i % 4 == 0).ToList();
        foreach (var message in damaged)
        {
            var at = file.AsSpan().IndexOf(message.Data);
            Assert.True(at >= 0, "a message's data was not found in the file as written");
            file[at + 150] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(StorePath, file);
        Store = Open();

        var served = All();
        Assert.Equal(stored.Count - damaged.Count, served.Count);
        Assert.All(served, m => Assert.Equal(MessageHash.Compute(m.Owner, m.Namespace, m.Data), m.Hash));
        Assert.Equal(damaged.Count, Store.Statistics().DamagedDropped);

        // Dropped for good: the writer deleted them, so a reopened store no longer even indexes them. (Any write
        // queued behind those deletions completes after them.)
        await Store.DeleteExpiredAsync(0, default);
        await Store.DisposeAsync();
        Store = Open();
        Assert.Equal(stored.Count - damaged.Count, Store.Statistics().MessageCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_store_file_lost_or_emptied_after_it_existed_stops_the_node_instead_of_starting_empty(bool emptied)
    {
        await Store.StoreAsync(Message(1), false, default);
        await Store.DisposeAsync();
        Store = null!;
        File.Delete(StoreFile.LogPathOf(StorePath));
        if (emptied)
        {
            await File.WriteAllBytesAsync(StorePath, []);
        }
        else
        {
            File.Delete(StorePath);
        }

        var error = Assert.Throws<DamagedStoreException>(() => Open());

        Assert.Contains(emptied ? "it is empty" : "it is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("--recover-store", error.Message, StringComparison.Ordinal);
        File.Delete(StoreFile.MarkerPathOf(StorePath));
        Store = Open();
        Assert.Empty(All());
    }

    private static byte[] Payload(int i)
    {
        var data = new byte[300];
        new Random(i).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(100L << 30, 0, StorageCapacity.Ceiling)]
    [InlineData(2L << 30, 0, 1L << 30)]
    [InlineData(1L << 30, 1L << 30, 1L << 30)]
    public void The_default_capacity_is_the_smaller_of_3_5_GiB_and_half_the_usable_space(long free, long store, long expected) =>
        Assert.Equal(expected, StorageCapacity.Automatic(free, store));

    [Fact]
    public void A_configured_capacity_wins_over_the_default() =>
        Assert.Equal(5L << 20, StorageCapacity.Resolve(5L << 20, StorePath, 0));

    private LiteDbMessageStore Open() =>
        new(StorePath, new StorageOptions { CapacityBytes = 1L << 30, CommitsPerSecond = 0 }, TimeProvider.System);

    private List<StoredMessage> All() => [.. Store.Retrieve(_owner, 0, null, RetrieveLimits.FromRequest(0, 0)).Messages];

    private StoredMessage Message(int n, long expiry = 2_000_000_000_000, int size = 16)
    {
        var data = Enumerable.Repeat((byte)n, size).Append((byte)(n >> 8)).ToArray();
        return new StoredMessage(_owner, 0, MessageHash.Compute(_owner, 0, data), 1_700_000_000_000 + n, expiry, data);
    }
}
