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
public sealed partial class RecoveringMessageStore(Func<LiteDbMessageStore> open, string directory, NodeReadiness readiness,
    TimeProvider time, ILogger<RecoveringMessageStore> logger) : BackgroundService, IMessageStore
{
    public static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(5);

    /// <summary>Free space wanted before reopening: LiteDB's log and a few batches of packs.</summary>
    public const long FreeBytesToReopen = 1 << 20;

    private const string Component = "storage";
    private LiteDbMessageStore _current = open();

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

        await stopped.DisposeAsync().ConfigureAwait(false);
        LiteDbMessageStore reopened;
        try
        {
            reopened = open();
        }
        catch (IOException error)
        {
            LogReopenFailed(logger, error.Message);
            return false;
        }

        Volatile.Write(ref _current, reopened);
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
                if (Current.Fault is { } fault && !await TryRecoverAsync().ConfigureAwait(false))
                {
                    LogStillStopped(logger, fault.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public Task<StoreOutcome> StoreAsync(StoredMessage message, bool replaceNamespace, CancellationToken cancellationToken) =>
        Current.StoreAsync(message, replaceNamespace, cancellationToken);

    public RetrievePage Retrieve(AccountId owner, short ns, string? lastHash, RetrieveLimits limits) => Current.Retrieve(owner, ns, lastHash, limits);

    public IReadOnlyDictionary<string, long> GetExpiries(AccountId owner, IReadOnlyList<string> hashes) => Current.GetExpiries(owner, hashes);

    public Task<IReadOnlyList<string>> DeleteAsync(AccountId owner, IReadOnlyList<string> hashes, CancellationToken cancellationToken) =>
        Current.DeleteAsync(owner, hashes, cancellationToken);

    public Task<IReadOnlyList<NamespacedHash>> DeleteAllAsync(AccountId owner, short? ns, CancellationToken cancellationToken) =>
        Current.DeleteAllAsync(owner, ns, cancellationToken);

    public Task<IReadOnlyList<NamespacedHash>> DeleteBeforeAsync(AccountId owner, short? ns, long beforeMs, CancellationToken cancellationToken) =>
        Current.DeleteBeforeAsync(owner, ns, beforeMs, cancellationToken);

    public Task<ExpiryUpdate> UpdateExpiryAsync(AccountId owner, IReadOnlyList<string> hashes, IReadOnlyList<long> expiriesMs, ExpiryChangeMode mode, CancellationToken cancellationToken) =>
        Current.UpdateExpiryAsync(owner, hashes, expiriesMs, mode, cancellationToken);

    public Task<IReadOnlyList<NamespacedHash>> ShortenAllAsync(AccountId owner, short? ns, long expiryMs, CancellationToken cancellationToken) =>
        Current.ShortenAllAsync(owner, ns, expiryMs, cancellationToken);

    public Task RevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, long nowMs, CancellationToken cancellationToken) =>
        Current.RevokeAsync(owner, tokens, nowMs, cancellationToken);

    public Task<int> UnrevokeAsync(AccountId owner, IReadOnlyList<byte[]> tokens, CancellationToken cancellationToken) =>
        Current.UnrevokeAsync(owner, tokens, cancellationToken);

    public bool IsRevoked(AccountId owner, ReadOnlySpan<byte> token) => Current.IsRevoked(owner, token);

    public IReadOnlyList<byte[]> RevokedTokens(AccountId owner) => Current.RevokedTokens(owner);

    public Task<int> DeleteExpiredAsync(long nowMs, CancellationToken cancellationToken) => Current.DeleteExpiredAsync(nowMs, cancellationToken);

    public IReadOnlyList<AccountId> Owners() => Current.Owners();

    public IReadOnlyList<StoredMessage> MessagesOf(AccountId owner) => Current.MessagesOf(owner);

    public StoreStatistics Statistics() => Current.Statistics();

    public (long UsedBytes, long CapacityBytes) Usage() => Current.Usage();

    public async ValueTask DisposeAsync() => await Current.DisposeAsync().ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message store stopped: {Reason}; checking every 5 s for room to reopen it")]
    private static partial void LogStillStopped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message store could not be reopened yet: {Reason}")]
    private static partial void LogReopenFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message store reopened after it had stopped; every acknowledged message is in it")]
    private static partial void LogRecovered(ILogger logger);
}
