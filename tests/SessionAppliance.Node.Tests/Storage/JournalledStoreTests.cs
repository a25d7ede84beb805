using System.Diagnostics;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>
/// Small commits go to the journal and LiteDB takes them later. A crash is a copy of the store's files taken
/// while the store is open (what the card holds once the acknowledgements were sent): it must hold every
/// acknowledged change.
/// </summary>
public sealed class JournalledStoreTests() : TemporaryStore("sa-journalled-")
{
    private readonly AccountId _owner = AccountId.Parse("05" + new string('c', 64));

    public override Task InitializeAsync()
    {
        Store = Open(StorePath);
        return Task.CompletedTask;
    }

    private static LiteDbMessageStore Open(string path) =>
        new(path, new StorageOptions { CapacityBytes = 1L << 30, CommitsPerSecond = 0 }, TimeProvider.System);

    private StoredMessage Message(int i, int size = 200, long expiry = 2_000_000_000_000)
    {
        var data = new byte[size];
        BitConverter.TryWriteBytes(data, i);
        return new StoredMessage(_owner, 0, MessageHash.Compute(_owner, 0, data), 1_700_000_000_000 + i, expiry, data);
    }

    /// <summary>The store's files as a power cut would leave them now, copied beside the store; returns the copy's path.</summary>
    private string CrashImage()
    {
        // Inside the store's own directory, which the test removes.
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(StorePath)!, $"crash-{Guid.NewGuid():N}")).FullName;
        // cp, not File.Copy: .NET would take a shared lock, which the open store's exclusive lock refuses.
        var files = Directory.GetFiles(Path.GetDirectoryName(StorePath)!);
        using var copy = Process.Start(new ProcessStartInfo("cp", [.. files, directory]))!;
        copy.WaitForExit();
        Assert.Equal(0, copy.ExitCode);
        return Path.Combine(directory, Path.GetFileName(StorePath));
    }

    private static int JournalRecords(string storePath)
    {
        using var journal = StoreJournal.Open(StoreJournal.PathOf(storePath), 1 << 20, new DiskWriteMeter());
        return journal.ReadRecords().Count;
    }

    private static List<StoredMessage> All(LiteDbMessageStore store, AccountId owner) =>
        [.. store.Retrieve(owner, 0, null, RetrieveLimits.FromRequest(0, 0)).Messages];

    [Fact]
    public async Task Acknowledged_stores_deletes_and_expiries_in_the_journal_survive_a_crash()
    {
        for (var i = 0; i < 30; i++)
        {
            await Store.StoreAsync(Message(i), false, default);
        }

        await Store.DeleteAsync(_owner, [Message(3).Hash, Message(17).Hash], default);
        await Store.UpdateExpiryAsync(_owner, [Message(5).Hash], [1_900_000_000_000], ExpiryChangeMode.Any, default);
        var image = CrashImage();
        Assert.True(JournalRecords(image) >= 32, "each small commit is one journal record");

        await using var recovered = Open(image);
        var messages = All(recovered, _owner);

        Assert.Equal(Enumerable.Range(0, 30).Where(i => i is not (3 or 17)).Select(i => Message(i).Hash), messages.Select(m => m.Hash));
        Assert.Equal(1_900_000_000_000, messages.Single(m => m.Hash == Message(5).Hash).ExpiryMs);
    }

    [Fact]
    public async Task A_journal_replayed_twice_leaves_the_same_store()
    {
        for (var i = 0; i < 10; i++)
        {
            await Store.StoreAsync(Message(i), false, default);
        }

        await Store.DeleteAsync(_owner, [Message(4).Hash], default);
        var image = CrashImage();
        var journal = File.ReadAllBytes(StoreJournal.PathOf(image));
        await (Open(image)).DisposeAsync();

        // As if the crash came after LiteDB took the journal but before the journal started over.
        File.WriteAllBytes(StoreJournal.PathOf(image), journal);
        await using var twice = Open(image);

        Assert.Equal(Enumerable.Range(0, 10).Where(i => i != 4).Select(i => Message(i).Hash), All(twice, _owner).Select(m => m.Hash));
    }

    [Fact]
    public async Task A_large_commit_goes_straight_to_LiteDB_and_takes_the_journal_with_it()
    {
        await Store.StoreAsync(Message(1), false, default);
        await Store.StoreAsync(Message(2), false, default);
        Assert.Equal(2, JournalRecords(CrashImage()));

        await Store.StoreAsync(Message(3, size: PackWriter.MaxJournalRecordBytes + 1000), false, default);
        var image = CrashImage();

        Assert.Equal(0, JournalRecords(image));
        await using var recovered = Open(image);
        Assert.Equal([Message(1).Hash, Message(2).Hash, Message(3, size: PackWriter.MaxJournalRecordBytes + 1000).Hash], All(recovered, _owner).Select(m => m.Hash));
    }

    [Fact]
    public async Task A_revocation_commits_to_LiteDB_with_the_journalled_packs()
    {
        await Store.StoreAsync(Message(1), false, default);
        await Store.RevokeAsync(_owner, [new byte[32]], 1_700_000_000_000, default);
        var image = CrashImage();

        Assert.Equal(0, JournalRecords(image));
        await using var recovered = Open(image);
        Assert.Single(All(recovered, _owner));
        Assert.True(recovered.IsRevoked(_owner, new byte[32]));
    }

    [Fact]
    public async Task A_clean_stop_leaves_the_journal_empty_and_the_next_start_uses_the_index_snapshot()
    {
        await Store.StoreAsync(Message(1), false, default);
        await Store.DisposeAsync();

        Assert.Equal(0, JournalRecords(StorePath));
        Assert.True(File.Exists(IndexSnapshot.PathOf(StorePath)));
        Store = Open(StorePath);
        Assert.Single(All(Store, _owner));
    }

    [Fact]
    public async Task Reads_between_commits_see_journalled_packs_and_deletes()
    {
        await Store.StoreAsync(Message(1), false, default);
        await Store.StoreAsync(Message(2), false, default);
        Assert.Equal(2, All(Store, _owner).Count);

        await Store.DeleteAllAsync(_owner, null, default);

        Assert.Empty(All(Store, _owner));
        Assert.Null(Store.Find(Message(1).Hash));
    }

    [Fact]
    public async Task A_journal_beside_a_store_that_is_not_there_is_dropped()
    {
        await Store.StoreAsync(Message(1), false, default);
        var image = CrashImage();
        File.Delete(image);
        File.Delete(StoreFile.LogPathOf(image));
        File.Delete(StoreFile.MarkerPathOf(image));

        await using var fresh = Open(image);

        Assert.Empty(All(fresh, _owner));
    }
}
