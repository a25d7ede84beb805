using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The node's store as the rest of the node sees it: the LiteDB store, reopened in place when it has stopped after a
/// failed write. A full card makes LiteDB give up on its files; the node then says so (not ready: "disk full: …", so
/// requests get 503 with that text and the light shows it), every write fails at once instead of waiting, and every
/// <see cref="RecoveryInterval"/> it checks for free space and reopens the store, whose log replays everything
/// acknowledged. No restart, no lost acknowledged message.
/// </summary>
public sealed partial class RecoveringMessageStore(Func<long?, LiteDbMessageStore> open, string directory, NodeReadiness readiness,
    TimeProvider time, ILogger<RecoveringMessageStore> logger) : BackgroundService, IMessageStore
{
    public static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(5);

    /// <summary>Free space wanted before reopening: LiteDB's log and a few batches of packs.</summary>
    public const long FreeBytesToReopen = 1 << 20;

    private const string Component = "storage";
    private const string Reopening = "the message store is being reopened after it stopped";
    private LiteDbMessageStore _current = open(null);
    private volatile bool _reopening;
    private StoreUnavailableException? _logged;

    public LiteDbMessageStore Current => Volatile.Read(ref _current);

    /// <summary>One check: while the store is stopped, say why and reopen it once the card has room again.</summary>
    public async Task<bool> TryRecoverAsync()
    {
        var stopped = Current;
        if (stopped.Fault is not { } fault)
        {
            return true;
        }

        readiness.NotReady(Component, fault.Message);
        if (new DriveInfo(directory).AvailableFreeSpace < FreeBytesToReopen)
        {
            return false;
        }

        // The cap stays the one decided at start: free space right after a full disk would make it tiny.
        var capacity = stopped.Usage().CapacityBytes;
        _reopening = true;
        try
        {
            await stopped.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _current, open(capacity));
        }
        catch (IOException error)
        {
            LogReopenFailed(logger, error.Message);
            return false;
        }
        finally
        {
            _reopening = false;
        }

        readiness.Ready(Component);
        LogRecovered(logger);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RecoveryInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                // One line per stop, not one per check: a full card can last hours.
                if (Current.Fault is { } fault && !await TryRecoverAsync().ConfigureAwait(false) && !ReferenceEquals(fault, _logged))
                {
                    _logged = fault;
                    LogStillStopped(logger, fault.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public Task<StoreOutcome> StoreAsync(StoredMessage message, bool replaceNamespace, CancellationToken cancellationToken) =>
        WriteAsync(store => store.StoreAsync(message, replaceNamespace, cancellationToken));

    public RetrievePage Retrieve(AccountId owner, short ns, string? lastHash, RetrieveLimits limits) => Read(store => store.Retrieve(owner, ns, lastHash, limits));

    public IReadOnlyDictionary<string, long> GetExpiries(AccountId owner, IReadOnlyList<string> hashes) => Read(store => store.GetExpiries(owner, hashes));

    public Task<IReadOnlyList<string>> DeleteAsync(AccountId owner, IReadOnlyList<string> hashes, CancellationToken cancellationToken) =>
        WriteAsync(store => store.DeleteAsync(owner, hashes, cancellationToken));

    public Task<IReadOnlyList<NamespacedHash>> DeleteAllAsync(AccountId owner, short? ns, CancellationToken cancellationToken) =>
        WriteAsync(store => store.DeleteAllAsync(owner, ns, cancellationToken));

    public Task<IReadOnlyList<NamespacedHash>> DeleteBeforeAsync(AccountId owner, short? ns, long beforeMs, CancellationToken cancellationToken) =>
        WriteAsync(store => store.DeleteBeforeAsync(owner, ns, beforeMs, cancellationToken));

    public Task<ExpiryUpdate> UpdateExpiryAsync(AccountId owner, IReadOnlyList<string> hashes, IReadOnlyList<long> expiriesMs, ExpiryChangeMode mode, CancellationToken cancellationToken) =>
        WriteAsync(store => store.UpdateExpiryAsync(owner, hashes, expiriesMs, mode, cancellationToken));

    public Task<IReadOnlyList<NamespacedHash>> ShortenAllAsync(AccountId owner, short? ns, long expiryMs, CancellationToken cancellationToken) =>
        WriteAsync(store => store.ShortenAllAsync(owner, ns, expiryMs, cancellationToken));

    public Task RevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, long nowMs, CancellationToken cancellationToken) =>
        WriteAsync(async store =>
        {
            await store.RevokeAsync(owner, tokens, nowMs, cancellationToken).ConfigureAwait(false);
            return true;
        });

    public Task<int> UnrevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, CancellationToken cancellationToken) =>
        WriteAsync(store => store.UnrevokeAsync(owner, tokens, cancellationToken));

    public bool IsRevoked(AccountId owner, ReadOnlySpan<byte> token)
    {
        var copy = token.ToArray();
        return Read(store => store.IsRevoked(owner, copy));
    }

    public IReadOnlyList<byte[]> RevokedTokens(AccountId owner) => Read(store => store.RevokedTokens(owner));

    public Task<int> DeleteExpiredAsync(long nowMs, CancellationToken cancellationToken) => WriteAsync(store => store.DeleteExpiredAsync(nowMs, cancellationToken));

    public IReadOnlyList<AccountId> Owners() => Read(store => store.Owners());

    public StoredMessage? Find(string hash) => Read(store => store.Find(hash));

    public IReadOnlyList<StoredMessage> MessagesOf(AccountId owner) => Read(store => store.MessagesOf(owner));

    public StoreStatistics Statistics() => Current.Statistics();

    public (long UsedBytes, long CapacityBytes) Usage() => Current.Usage();

    public async ValueTask DisposeAsync() => await Current.DisposeAsync().ConfigureAwait(false);

    /// <summary>A read; one that fails because the store stopped or is being reopened says so, not a 500.</summary>
    private T Read<T>(Func<LiteDbMessageStore, T> read)
    {
        var store = Current;
        try
        {
            return read(store);
        }
        catch (Exception error) when (error is not StoreUnavailableException && (_reopening || store.Fault is not null))
        {
            throw Stopped(store, error);
        }
    }

    /// <summary>A write; a stopped store makes the node not ready at once, not at the next check.</summary>
    private async Task<T> WriteAsync<T>(Func<LiteDbMessageStore, Task<T>> write)
    {
        var store = Current;
        try
        {
            return await write(store).ConfigureAwait(false);
        }
        catch (StoreUnavailableException error)
        {
            readiness.NotReady(Component, error.Message);
            throw;
        }
        catch (Exception error) when (_reopening || store.Fault is not null)
        {
            throw Stopped(store, error);
        }
    }

    private StoreUnavailableException Stopped(LiteDbMessageStore store, Exception error)
    {
        var reason = store.Fault?.Message ?? Reopening;
        readiness.NotReady(Component, reason);
        return new StoreUnavailableException(reason, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message store stopped: {Reason}; checking every 5 s for room to reopen it")]
    private static partial void LogStillStopped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message store could not be reopened yet: {Reason}")]
    private static partial void LogReopenFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message store reopened after it had stopped; every acknowledged message is in it")]
    private static partial void LogRecovered(ILogger logger);
}
