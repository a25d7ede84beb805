using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>The index a clean stop leaves: used only while it matches the store, and then the same index a scan builds.</summary>
public sealed class IndexSnapshotTests() : TemporaryStore("sa-snapshot-")
{
    private static readonly AccountId[] Owners = [.. Enumerable.Range(0, 5).Select(i => AccountId.Parse("05" + new string((char)('a' + i), 64)))];

    private readonly List<StoredMessage> _stored = [];
    private readonly FakeLog _log = new();

    public override async Task InitializeAsync()
    {
        Store = Open();
        for (var i = 0; i < 300; i++)
        {
            await Keep(Message(i));
        }

        // Some deletions and an expiry change, so the snapshot holds more than appends.
        string[] deleted = [Message(1).Hash, Message(6).Hash];
        await Store.DeleteAsync(Owners[1], deleted, default);
        _stored.RemoveAll(m => deleted.Contains(m.Hash));
        await Store.UpdateExpiryAsync(Owners[2], [Message(2).Hash], [3_000_000_000_000], ExpiryChangeMode.ExtendOnly, default);
    }

    [Fact]
    public async Task A_clean_stop_leaves_a_snapshot_and_the_next_start_reads_it_instead_of_scanning()
    {
        var before = Store.Statistics();
        await Reopen();

        Assert.Contains(_log.Lines, line => line.StartsWith("Message index read from the clean stop's snapshot: 298 messages", StringComparison.Ordinal));
        Assert.False(File.Exists(IndexSnapshot.PathOf(StorePath)), "a used snapshot is removed");
        AssertServesExactlyWhatWasStored(before);

        // New messages after the reopen go into new rows: nothing stored before is overwritten.
        await Keep(Message(1_000));
        AssertServesExactlyWhatWasStored(null);
    }

    [Fact]
    public async Task Expiry_buckets_come_back_from_the_snapshot()
    {
        await Keep(Message(2_000, expiry: 40_000));
        await Reopen();

        Assert.Equal(1, await Store.DeleteExpiredAsync(45_000, default));
        _stored.RemoveAt(_stored.Count - 1);
        AssertServesExactlyWhatWasStored(null);
        Assert.Equal(3_000_000_000_000, Store.GetExpiries(Owners[2], [Message(2).Hash]).Values.Single());
    }

    [Fact]
    public async Task A_stale_snapshot_put_back_beside_a_store_written_since_is_not_used()
    {
        await Store.DisposeAsync();
        var stale = File.ReadAllBytes(IndexSnapshot.PathOf(StorePath));
        Store = Open();
        await Keep(Message(3_000));
        await Store.DisposeAsync();
        File.WriteAllBytes(IndexSnapshot.PathOf(StorePath), stale);
        Store = Open();

        Assert.Contains(_log.Lines, line => line.Contains("rebuilt by scanning", StringComparison.Ordinal) && line.Contains("does not match the store", StringComparison.Ordinal));
        AssertServesExactlyWhatWasStored(null);
    }

    [Fact]
    public async Task A_damaged_snapshot_costs_only_a_scan()
    {
        await Store.DisposeAsync();
        var snapshot = File.ReadAllBytes(IndexSnapshot.PathOf(StorePath));
        snapshot[snapshot.Length / 2] ^= 0x01;
        File.WriteAllBytes(IndexSnapshot.PathOf(StorePath), snapshot);
        Store = Open();

        Assert.Contains(_log.Lines, line => line.Contains("checksum does not match", StringComparison.Ordinal));
        AssertServesExactlyWhatWasStored(null);
    }

    [Fact]
    public async Task A_store_file_truncated_while_stopped_is_still_refused_as_damaged()
    {
        for (var i = 0; i < 300; i++)
        {
            await Keep(Message(5_000 + i, size: 1024));
        }

        await Store.DisposeAsync();
        using (var file = File.Open(StorePath, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        Store = null!;
        Assert.Throws<DamagedStoreException>(() => Open());
    }

    private async Task Reopen()
    {
        await Store.DisposeAsync();
        Assert.Contains(_log.Lines, line => line.StartsWith($"Message index saved for a quick next start: {_stored.Count} messages", StringComparison.Ordinal));
        Assert.True(File.Exists(IndexSnapshot.PathOf(StorePath)));
        Store = Open();
    }

    private void AssertServesExactlyWhatWasStored(StoreStatistics? before)
    {
        foreach (var owner in Owners)
        {
            var expected = _stored.Where(m => m.Owner.Equals(owner)).Select(m => m.Hash).ToList();
            var served = Store.Retrieve(owner, 0, null, RetrieveLimits.FromRequest(0, 0)).Messages.Select(m => m.Hash).ToList();
            Assert.Equal(expected, served);
            Assert.All(expected, hash => Assert.Equal(hash, Store.Find(hash)?.Hash));
        }

        var now = Store.Statistics();
        Assert.Equal(_stored.Count, now.MessageCount);
        if (before is not null)
        {
            Assert.Equal(before.Value.LiveBytes, now.LiveBytes);
        }
    }

    private async Task Keep(StoredMessage message)
    {
        Assert.Equal(StoreStatus.Inserted, (await Store.StoreAsync(message, false, default)).Status);
        _stored.Add(message);
    }

    private LiteDbMessageStore Open() =>
        new(StorePath, new StorageOptions { CapacityBytes = 1L << 30, CommitsPerSecond = 0 }, TimeProvider.System, log: _log);

    private static StoredMessage Message(int n, long expiry = 2_000_000_000_000, int size = 40)
    {
        var owner = Owners[n % Owners.Length];
        var data = Enumerable.Repeat((byte)n, size).Append((byte)(n >> 8)).ToArray();
        return new StoredMessage(owner, 0, MessageHash.Compute(owner, 0, data), 1_700_000_000_000 + n, expiry, data);
    }
}
