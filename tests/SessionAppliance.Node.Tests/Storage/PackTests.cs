using LiteDB;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>How messages are packed into page-sized documents, and what the packing must never change.</summary>
public sealed class PackTests() : TemporaryStore("sa-pack-")
{
    /// <summary>LiteDB 5's largest block in one page: 8,192 less the page header (32), one slot (4) and the block header (6).</summary>
    private const int OnePageBytes = 8_150;

    private readonly AccountId _owner = AccountId.Parse("05" + new string('c', 64));

    [Fact]
    public void A_full_pack_of_1_KB_messages_holds_seven_and_fits_one_page()
    {
        var pack = new Pack(1);
        while (Add(pack, Message(pack.Bytes, size: 1024)))
        {
        }

        Assert.Equal(7, Pack.ReadIndexEntries(pack.ToDocument()).Count);
        Assert.InRange(BsonSerializer.Serialize(pack.ToDocument()).Length, 7 * 1024, OnePageBytes);
    }

    [Fact]
    public void A_pack_takes_at_most_sixteen_messages_however_small()
    {
        var pack = new Pack(1);
        var added = 0;
        while (Add(pack, Message(added, size: 1)))
        {
            added++;
        }

        Assert.Equal(Pack.SlotsPerPack, added);
    }

    [Fact]
    public void A_message_larger_than_a_page_gets_a_pack_of_its_own()
    {
        var pack = new Pack(1);
        Assert.True(Add(pack, Message(1, size: 20_000)));
        Assert.False(pack.HasRoomFor(Pack.EntryBytesOf(new byte[68], Message(2, size: 1))));
    }

    [Fact]
    public void Rows_stay_put_when_neighbours_leave_and_every_field_round_trips()
    {
        var pack = new Pack(5);
        var first = Message(1, size: 10);
        var second = Message(2, size: 20) with { Namespace = -7, TimestampMs = 42, ExpiryMs = 43 };
        var third = Message(3, size: 0) with { Hash = "not a canonical hash" };
        var rows = new[] { first, second, third }.Select(m => pack.Add(m, MessageKey.Encode(m.Owner, m.Namespace, m.Hash))).ToList();

        pack.Remove(rows[0]);
        var stored = pack.ToDocument();

        Assert.Equal(
            [new Pack.IndexEntry(Pack.RowOf(5, 1), second.Owner, -7, second.Hash, 43, second.Data.Length), new Pack.IndexEntry(Pack.RowOf(5, 2), third.Owner, 0, third.Hash, third.ExpiryMs, third.Data.Length)],
            Pack.ReadIndexEntries(stored));
        Assert.Null(Pack.Read(Pack.BlobOf(stored), rows[0]));
        AssertSame(second, Pack.Read(Pack.BlobOf(stored), rows[1])!);
        AssertSame(third, Pack.Read(Pack.BlobOf(stored), rows[2])!);
        Assert.Equal(Pack.RowOf(5, 3), Pack.FromDocument(stored).Add(first, MessageKey.Encode(_owner, 0, first.Hash)));
    }

    [Fact]
    public void A_row_whose_message_left_is_never_handed_out_again()
    {
        using var database = new LiteDatabase(new MemoryStream());
        var writes = new PackWriter(database.GetCollection(Pack.Collection), lastPackId: 0, new PackCache(0), journal: null);
        var first = writes.Add(Message(1));
        var left = writes.Add(Message(2));
        writes.Flush();
        writes.Committed();

        writes.Remove(left);
        writes.Flush();
        writes.Committed();
        var next = writes.Add(Message(3));

        Assert.Equal(Pack.PackOf(first), Pack.PackOf(next));
        Assert.True(next > left, $"row {next} handed out after row {left} left");
    }

    [Fact]
    public async Task A_sweep_larger_than_its_chunk_deletes_every_due_message()
    {
        Store = Open(50);
        await Task.WhenAll(Enumerable.Range(0, 5_000).Select(i => Store.StoreAsync(Message(i) with { ExpiryMs = 1_000 + i }, false, default)));
        await Store.StoreAsync(Message(9_999), false, default);

        Assert.Equal(5_000, await Store.DeleteExpiredAsync(10_000, default));
        await Reopen();
        Assert.Equal([Message(9_999).Hash], All().Select(m => m.Hash));
    }

    [Fact]
    public async Task Packed_1_KB_messages_take_under_1_3_KB_each_on_disk()
    {
        Store = Open(50);
        await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => Store.StoreAsync(Message(i, size: 1024), false, default)));
        await Store.DisposeAsync();
        Store = null!;

        var bytes = new FileInfo(StorePath).Length + (File.Exists(StoreFile.LogPathOf(StorePath)) ? new FileInfo(StoreFile.LogPathOf(StorePath)).Length : 0);
        Assert.InRange(bytes / 2_000.0, 1_024, 1_331);
    }

    [Fact]
    public async Task A_message_stored_and_deleted_in_one_batch_is_gone_and_its_pack_neighbours_stay()
    {
        Store = await OpenSpentAsync();
        var kept = Message(1);
        var dropped = Message(2);
        var keptStore = Store.StoreAsync(kept, false, default);
        var droppedStore = Store.StoreAsync(dropped, false, default);
        var delete = Store.DeleteAsync(_owner, [dropped.Hash], default);
        await Task.WhenAll(keptStore, droppedStore, delete);

        Assert.Equal([dropped.Hash], await delete);
        await Reopen();
        Assert.Equal([kept.Hash], All().Select(m => m.Hash));
    }

    [Fact]
    public async Task A_failing_store_in_a_batch_fails_alone_and_later_stores_still_land()
    {
        Store = await OpenSpentAsync();
        var good = Enumerable.Range(1, 10).Select(i => Message(i)).ToList();
        var tooLong = Message(99) with { Hash = new string('x', 300) };

        var stores = good.Select(m => Store.StoreAsync(m, false, default)).ToList();
        var failing = Store.StoreAsync(tooLong, false, default);
        await Task.WhenAll(stores);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await Store.StoreAsync(Message(11), false, default);

        await Reopen();
        Assert.Equal([.. good.Select(m => m.Hash), Message(11).Hash], All().Select(m => m.Hash));
    }

    [Fact]
    public async Task A_store_from_before_packs_is_moved_into_packs_on_open_in_order()
    {
        var old = Enumerable.Range(0, 2_500).Select(i => Message(i, size: 100)).ToList();
        using (var database = new LiteDatabase(new ConnectionString { Filename = StorePath }))
        {
            var messages = database.GetCollection("messages");
            messages.InsertBulk(old.Select((m, row) => new BsonDocument
            {
                ["_id"] = (long)row + 1,
                ["k"] = MessageKey.Encode(m.Owner, m.Namespace, m.Hash),
                ["t"] = m.TimestampMs,
                ["e"] = m.ExpiryMs,
                ["d"] = m.Data,
            }));
        }

        Store = Open(0);

        Assert.Equal(old.Select(m => m.Hash), All().Select(m => m.Hash));
        await Reopen();
        Assert.Equal(old.Select(m => m.Hash), All().Select(m => m.Hash));
        Assert.Equal(old[10].Data, All()[10].Data);
    }

    private static bool Add(Pack pack, StoredMessage message)
    {
        var key = MessageKey.Encode(message.Owner, message.Namespace, message.Hash);
        if (!pack.HasRoomFor(Pack.EntryBytesOf(key, message)))
        {
            return false;
        }

        pack.Add(message, key);
        return true;
    }

    private static void AssertSame(StoredMessage expected, StoredMessage actual)
    {
        Assert.Equal(
            (expected.Owner, expected.Namespace, expected.Hash, expected.TimestampMs, expected.ExpiryMs, Convert.ToHexString(expected.Data)),
            (actual.Owner, actual.Namespace, actual.Hash, actual.TimestampMs, actual.ExpiryMs, Convert.ToHexString(actual.Data)));
    }

    private async Task Reopen()
    {
        await Store.DisposeAsync();
        Store = Open(0);
    }

    /// <summary>A store whose fsync budget (5/s) was just spent, so the writes queued next share one commit.</summary>
    private async Task<LiteDbMessageStore> OpenSpentAsync()
    {
        var store = Open(5);
        var elsewhere = Protocol.Accounts.AccountId.FromBytes([0x05, .. Enumerable.Repeat((byte)7, 32)]);
        await store.StoreAsync(Message(1_000_000) with { Owner = elsewhere }, false, default);
        return store;
    }

    private LiteDbMessageStore Open(double commitsPerSecond) =>
        new(StorePath, new StorageOptions { CapacityBytes = 1L << 30, CommitsPerSecond = commitsPerSecond }, TimeProvider.System);

    private List<StoredMessage> All() => [.. Store.Retrieve(_owner, 0, null, RetrieveLimits.FromRequest(0, 0)).Messages];

    private StoredMessage Message(int n, int size = 16)
    {
        var data = Enumerable.Repeat((byte)n, size).Append((byte)(n >> 8)).ToArray();
        return new StoredMessage(_owner, 0, MessageHash.Compute(_owner, 0, data), 1_700_000_000_000 + n, 2_000_000_000_000, data);
    }
}
