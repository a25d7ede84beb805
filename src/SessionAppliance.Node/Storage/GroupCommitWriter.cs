using System.Threading.Channels;
using LiteDB;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The store's only writer. Callers queue write operations; the writer commits whatever is waiting in a single
/// LiteDB transaction as soon as the fsync budget (<see cref="CommitBudget"/>) allows, so a lone store is
/// acknowledged as soon as it is durable, writes that arrive during a commit or while the budget refills share
/// the next one, and a card sees one sequential flush per batch instead of one per message. An operation
/// completes only after its batch is durable (<see cref="IHooks.AfterCommit"/>).
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    /// <summary>
    /// Message bytes waiting that make a full batch, committed without waiting for the budget. A commit costs the
    /// card about 16 KB whatever it holds (two pack pages, in LiteDB's log and at its checkpoint); a batch of
    /// 32 KB of messages already spends at most a quarter of its writes on that, so waiting would save little
    /// wear and only add latency.
    /// </summary>
    public const int FullBatchBytes = 32 * 1024;

    private readonly LiteDatabase _database;
    private readonly CommitBudget _budget;
    private readonly int _maxBatch;
    private readonly TimeProvider _time;
    private readonly Channel<IWriteOperation> _queue;
    private readonly Task _loop;

    private readonly IHooks _hooks;
    private volatile TaskCompletionSource _batchFull = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _queuedBytes;

    public GroupCommitWriter(LiteDatabase database, StorageOptions options, TimeProvider time, IHooks hooks)
    {
        _hooks = hooks;
        _database = database;
        _budget = new CommitBudget(options.CommitsPerSecond, time);
        _maxBatch = options.MaxBatchOperations;
        _time = time;
        _queue = Channel.CreateBounded<IWriteOperation>(new BoundedChannelOptions(options.MaxQueuedOperations)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>What the store does around each batch's transaction.</summary>
    public interface IHooks
    {
        /// <summary>Runs inside the transaction after the batch's operations: write what they gathered.</summary>
        void BeforeCommit();

        /// <summary>
        /// Runs after LiteDB's commit and before any operation completes: keep the batch's changes in memory, then
        /// make it durable. An <see cref="IOException"/> here fails the batch's operations without undoing them.
        /// </summary>
        void AfterCommit();

        void AfterRollback();
    }

    /// <summary>Number of transactions committed since start; the benchmark reads it.</summary>
    public long Commits { get; private set; }

    /// <summary>
    /// Why the writer stopped, if it did: LiteDB gives up on its files after a failed write (a full disk) and the
    /// database must be reopened. From then on every operation fails at once with <see cref="StoreUnavailableException"/>.
    /// </summary>
    public StoreUnavailableException? Fault => Volatile.Read(ref _fault);

    private StoreUnavailableException? _fault;

    /// <param name="bytes">The message bytes the operation writes, towards <see cref="FullBatchBytes"/>.</param>
    public async Task<T> EnqueueAsync<T>(Func<LiteDatabase, T> operation, CancellationToken cancellationToken, int bytes = 0)
    {
        if (Fault is { } fault)
        {
            throw fault;
        }

        var pending = new WriteOperation<T>(operation, bytes);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        if (Interlocked.Add(ref _queuedBytes, bytes) >= FullBatchBytes || _queue.Reader.Count >= _maxBatch)
        {
            _batchFull.TrySetResult();
        }

        return await pending.Completion.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<IWriteOperation>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Wait only for the budget's next commit, and not even that once a full batch is waiting. A full batch
            // pays for itself and spends nothing: were it to run the budget into debt, the lone stores after a busy
            // spell would wait for that debt to be repaid.
            var wait = _budget.WaitUnsynchronized();
            var full = IsBatchFull(reader);
            if (wait > TimeSpan.Zero && !full)
            {
                await Task.WhenAny(Task.Delay(wait, _time), _batchFull.Task).ConfigureAwait(false);
                full = IsBatchFull(reader);
            }

            _batchFull = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!full)
            {
                _budget.SpendUnsynchronized();
            }

            while (batch.Count < _maxBatch && reader.TryRead(out var operation))
            {
                batch.Add(operation);
                Interlocked.Add(ref _queuedBytes, -operation.Bytes);
            }

            // The whole transaction runs synchronously: LiteDB binds a transaction to its thread.
            try
            {
                Commit(batch);
            }
            catch (Exception error)
            {
                // The rollback itself failed (LiteDB has given up on its files), or something no batch should throw
                // did. Stop taking writes; fail the batch and everything queued behind it now rather than leave
                // callers waiting on a writer that cannot write.
                var fault = new StoreUnavailableException(StoreUnavailableException.ReasonFor(error), error);
                Volatile.Write(ref _fault, fault);
                batch.ForEach(operation => operation.Fail(fault));
                while (reader.TryRead(out var queued))
                {
                    Interlocked.Add(ref _queuedBytes, -queued.Bytes);
                    queued.Fail(fault);
                }
            }

            batch.Clear();
        }
    }

    private bool IsBatchFull(ChannelReader<IWriteOperation> reader) => reader.Count >= _maxBatch || Interlocked.Read(ref _queuedBytes) >= FullBatchBytes;

    private void Commit(List<IWriteOperation> batch)
    {
        if (Fault is { } fault)
        {
            batch.ForEach(operation => operation.Fail(fault));
            return;
        }

        if (TryCommitTogether(batch))
        {
            return;
        }

        // One operation failed and rolled the batch back: retry each alone so only the faulty one fails.
        foreach (var operation in batch)
        {
            if (!TryCommitTogether([operation]))
            {
                operation.Fail();
            }
        }
    }

    private bool TryCommitTogether(List<IWriteOperation> operations)
    {
        _database.BeginTrans();
        try
        {
            foreach (var operation in operations)
            {
                operation.Execute(_database);
            }

            _hooks.BeforeCommit();
            _database.Commit();
        }
        catch (Exception error) when (IsWriteFailure(error))
        {
            _database.Rollback();
            _hooks.AfterRollback();
            foreach (var operation in operations)
            {
                operation.Remember(error);
            }

            return false;
        }

        Commits++;
        try
        {
            _hooks.AfterCommit();
        }
        catch (IOException error)
        {
            // The transaction is in the file and memory follows it; only its durability is in doubt, so the
            // callers hear of the failure and nothing is retried.
            foreach (var operation in operations)
            {
                operation.Remember(error);
                operation.Fail();
            }

            return true;
        }

        foreach (var operation in operations)
        {
            operation.Complete();
        }

        return true;
    }

    /// <summary>Failures that belong to one batch (a full disk, a refused value, a damaged record), not to the writer.</summary>
    private static bool IsWriteFailure(Exception error) =>
        error is LiteException or IOException or InvalidOperationException or ArgumentException or FormatException
            or IndexOutOfRangeException or InvalidCastException or OverflowException;

    private interface IWriteOperation
    {
        int Bytes { get; }

        void Execute(LiteDatabase database);

        void Complete();

        void Remember(Exception error);

        void Fail();

        void Fail(Exception error);
    }

    private sealed class WriteOperation<T>(Func<LiteDatabase, T> operation, int bytes) : IWriteOperation
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;
        private Exception? _error;

        public int Bytes => bytes;

        public Task<T> Completion => _completion.Task;

        public void Execute(LiteDatabase database) => _result = operation(database);

        public void Complete() => _completion.TrySetResult(_result);

        public void Remember(Exception error) => _error = error;

        public void Fail() => _completion.TrySetException(_error ?? new IOException("write failed"));

        public void Fail(Exception error) => _completion.TrySetException(error);
    }
}
