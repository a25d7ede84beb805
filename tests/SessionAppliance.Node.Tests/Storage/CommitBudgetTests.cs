using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>The fsync budget: a lone store commits at once; under load, stores share the budget's next commit.</summary>
public sealed class CommitBudgetTests() : TemporaryStore("sa-budget-")
{
    private static readonly AccountId Owner = AccountId.FromBytes([0x05, .. Enumerable.Repeat((byte)3, 32)]);

    /// <summary>A store with 4 commits a second (one in hand) on a clock that moves only when the test moves it.</summary>
    private FakeTimeProvider OpenWithBudgetOfFour()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Store = new LiteDbMessageStore(StorePath, new StorageOptions { CommitsPerSecond = 4 }, clock);
        return clock;
    }

    private static StoredMessage Sized(int i, int size)
    {
        var data = new byte[size];
        BitConverter.TryWriteBytes(data, i);
        return new(Owner, 0, MessageHash.Compute(Owner, 0, data), 1_000, 10_000_000, data);
    }

    private static StoredMessage Message(int i) =>
        new(Owner, 0, MessageHash.Compute(Owner, 0, [(byte)i, (byte)(i >> 8)]), 1_000, 10_000_000, [(byte)i, (byte)(i >> 8)]);

    [Fact]
    public async Task A_lone_store_is_committed_at_once_without_waiting_for_a_window()
    {
        var clock = OpenWithBudgetOfFour();

        // The clock never moves: a store that waited for any window or budget would never complete.
        await Store.StoreAsync(Message(1), false, default).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, Store.Commits);
    }

    [Fact]
    public async Task Once_the_budget_is_spent_the_stores_that_arrive_share_its_next_commit()
    {
        var clock = OpenWithBudgetOfFour();
        await Store.StoreAsync(Message(1), false, default);

        var waiting = Enumerable.Range(2, 10).Select(i => Store.StoreAsync(Message(i), false, default)).ToList();

        // Nothing commits while the budget's clock stands still; moved on in small steps, one commit takes them all.
        await Task.Delay(100);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        await WaitUntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(25));
            return waiting.All(w => w.IsCompleted);
        });

        Assert.Equal(2, Store.Commits);
    }

    [Fact]
    public async Task Stores_holding_a_full_batch_of_bytes_commit_at_once_without_waiting_for_the_budget()
    {
        var clock = OpenWithBudgetOfFour();
        await Store.StoreAsync(Message(1), false, default);
        var small = Store.StoreAsync(Message(2), false, default);
        await Task.Delay(100);
        Assert.False(small.IsCompleted, "the budget is spent: a small store waits for it");

        // The clock stands still: only a full batch can commit now, and it takes the small store with it.
        var size = (GroupCommitWriter.FullBatchBytes / 8) + 1;
        var large = Enumerable.Range(3, 8).Select(i => Store.StoreAsync(Sized(i, size), false, default)).ToList();
        await Task.WhenAll([small, .. large]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, Store.Commits);
    }

    [Fact]
    public async Task Full_batches_leave_the_budget_unspent_so_a_lone_store_after_them_waits_no_longer_than_one_token()
    {
        var clock = OpenWithBudgetOfFour();
        await Store.StoreAsync(Message(1), false, default);
        var size = (GroupCommitWriter.FullBatchBytes / 8) + 1;
        for (var round = 0; round < 20; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Store.StoreAsync(Sized((round * 8) + i, size), false, default))).WaitAsync(TimeSpan.FromSeconds(30));
        }

        // Twenty full batches on a budget of 4 a second: spent from it, they would leave five seconds of debt.
        // A lone store now needs only the next token, a quarter second away.
        var lone = Store.StoreAsync(Message(2), false, default);
        clock.Advance(TimeSpan.FromMilliseconds(300));
        await lone.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(22, Store.Commits);
    }

    [Fact]
    public async Task Without_a_budget_every_store_commits_as_soon_as_the_writer_is_free()
    {
        Store = new LiteDbMessageStore(StorePath, new StorageOptions { CommitsPerSecond = 0 }, new FakeTimeProvider());

        for (var i = 0; i < 5; i++)
        {
            await Store.StoreAsync(Message(i), false, default).WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(5, Store.Commits);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !condition(); await Task.Delay(10))
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer never reached the expected state");
        }
    }
}
