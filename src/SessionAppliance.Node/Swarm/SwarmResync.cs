using System.Threading.Channels;
using SessionAppliance.Node.Bandwidth;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// Moves messages when swarms change (spec §5.5): members that joined an account's swarm receive its messages;
/// accounts that now belong to another swarm are handed to all of that swarm's members and then deleted here.
/// One old member per account does the pushing (the one whose key hashes lowest with the account), not all of
/// them as in the reference, so a change moves each message once per new holder. Pushes go in batches of at most
/// <see cref="MessagePushBatch.MaxBytes"/>, one at a time, through the governed peer connections; receivers store
/// a batch through group commit. A refill goes in the governor's lowest class: it waits while anything else would
/// be held back, and its batches are about a second of the uplink.
/// </summary>
public sealed partial class SwarmResync : BackgroundService
{
    private const int MaxAttempts = 10;
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly Channel<(INetworkView Old, INetworkView New)> _changes = Channel.CreateUnbounded<(INetworkView, INetworkView)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IMessageStore _store;
    private readonly NetworkSource _network;
    private readonly PeerChannel _peers;
    private readonly Omq.OmqHost _omq;
    private readonly BandwidthGovernor _bandwidth;
    private readonly TimeProvider _time;
    private readonly ILogger<SwarmResync> _logger;
    private long _messagesPushed;
    private long _bytesPushed;

    public SwarmResync(NetworkSource source, IMessageStore store, PeerChannel peers, Omq.OmqHost omq, BandwidthGovernor bandwidth, TimeProvider time, ILogger<SwarmResync> logger)
    {
        (_store, _network, _peers, _omq, _bandwidth, _time, _logger) = (store, source, peers, omq, bandwidth, time, logger);
        source.Changed += (previous, next) => _changes.Writer.TryWrite((previous, next));
    }

    /// <summary>Messages pushed and the bytes their batches took, since start (for health and the benchmark).</summary>
    public (long Messages, long Bytes) Pushed => (Interlocked.Read(ref _messagesPushed), Interlocked.Read(ref _bytesPushed));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _changes.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // Several changes while a resync ran: go from the oldest view to the newest in one pass.
                _changes.Reader.TryRead(out var change);
                var (old, latest) = change;
                for (var attempt = 1; ; attempt++)
                {
                    while (_changes.Reader.TryRead(out var next))
                    {
                        latest = next.New;
                    }

                    // A receiver that has not seen the change yet refuses what is not its swarm's: try again shortly.
                    if (await TryResyncAsync(old, latest, stoppingToken).ConfigureAwait(false))
                    {
                        break;
                    }

                    if (attempt == MaxAttempts)
                    {
                        LogGaveUp(_logger, MaxAttempts);
                        break;
                    }

                    await Task.WhenAny(Task.Delay(RetryDelay * attempt, _time, stoppingToken), _changes.Reader.WaitToReadAsync(stoppingToken).AsTask()).ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryResyncAsync(INetworkView old, INetworkView now, CancellationToken cancellationToken)
    {
        try
        {
            return await ResyncAsync(old, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or LiteDB.LiteException)
        {
            // A store error must not end resyncs for good: log it and retry like an incomplete push.
            LogResyncFailed(_logger, error);
            return false;
        }
    }

    /// <summary>Pushes what the change requires; false when some node did not take all of it.</summary>
    public async Task<bool> ResyncAsync(INetworkView old, INetworkView now, CancellationToken cancellationToken)
    {
        if (now.Self.IsDecommissioned)
        {
            return true;
        }

        // Plan: who receives which accounts. The first list after start has no "joined" members to feed.
        var plan = new Dictionary<string, (IReadOnlyList<ServiceNode> Targets, bool HandOn, List<AccountId> Owners)>(StringComparer.Ordinal);
        foreach (var owner in _store.Owners())
        {
            var (targets, handOn) = TargetsFor(owner, old, now);
            if (targets.Count == 0)
            {
                continue;
            }

            var key = (handOn ? "hand-on " : "joined ") + string.Join(",", targets.Select(t => t.Ed25519Hex));
            if (!plan.TryGetValue(key, out var group))
            {
                plan[key] = group = (targets, handOn, []);
            }

            group.Owners.Add(owner);
        }

        var complete = true;
        foreach (var (targets, handOn, owners) in plan.Values)
        {
            // Only what existed before the push is deleted after it: a message that arrives meanwhile stays.
            var before = handOn ? owners.ToDictionary(o => o, o => (IReadOnlyList<string>)[.. _store.MessagesOf(o).Select(m => m.Hash)]) : null;
            var delivered = true;
            foreach (var target in targets)
            {
                delivered &= await PushAsync(target, owners, refill: false, cancellationToken).ConfigureAwait(false);
            }

            if (before is not null && delivered)
            {
                foreach (var (owner, hashes) in before)
                {
                    await _store.DeleteAsync(owner, hashes, cancellationToken).ConfigureAwait(false);
                }
            }

            complete &= delivered;
            LogMoved(_logger, owners.Count, targets.Count, handOn ? "handed on to their new swarm" : "copied to new members", delivered ? "done" : "incomplete, will retry");
        }

        return complete;
    }

    /// <summary>
    /// Refills a member of our swarm that came back empty (spec §5.5's push, asked for by the receiver): the live
    /// messages of every account of our swarm for which this node is the designated holder among the other members,
    /// so that each message crosses once whichever members are asked. Returns the accounts and whether all arrived.
    /// </summary>
    public async Task<(int Accounts, bool Delivered)> RefillAsync(ServiceNode requester, CancellationToken cancellationToken)
    {
        var view = _network.Current;
        var holders = view.Nodes.Where(n => n.SwarmId == view.Self.SwarmId && !n.IsDecommissioned && !SameNode(n, requester)).ToList();
        var owners = _store.Owners().Where(o => view.SwarmOf(o).SwarmId == view.Self.SwarmId && Responsible(o, holders, view.Self)).ToList();
        // The asker has just restarted: a connection pooled to its old process fails once. Batches are idempotent
        // (the receiver skips what it holds), so an incomplete refill is simply sent again.
        var delivered = false;
        for (var attempt = 1; !delivered && attempt <= 3; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(RetryDelay * attempt, _time, cancellationToken).ConfigureAwait(false);
            }

            delivered = await PushAsync(requester, owners, refill: true, cancellationToken).ConfigureAwait(false);
        }

        LogMoved(_logger, owners.Count, 1, "sent to a member that came back empty", delivered ? "done" : "incomplete");
        return (owners.Count, delivered);
    }

    /// <summary>Who must receive an account's messages from this node after the change, and whether it leaves us.</summary>
    private static (IReadOnlyList<ServiceNode> Targets, bool HandOn) TargetsFor(AccountId owner, INetworkView old, INetworkView now)
    {
        var current = now.SwarmOf(owner);
        var before = old.Height == 0 ? [] : old.SwarmOf(owner).Members;
        var self = now.Self;
        if (current.SwarmId == self.SwarmId)
        {
            var joined = current.Members.Where(m => !before.Any(b => SameNode(b, m))).ToList();
            var holders = current.Members.Where(m => before.Any(b => SameNode(b, m))).ToList();
            return joined.Count > 0 && Responsible(owner, holders, self) ? (joined, false) : ([], false);
        }

        // No longer ours. The responsible holder is chosen among the old members still listed (or us alone).
        var stillListed = before.Where(b => now.FindByEd25519(b.Ed25519PublicKey) is not null).ToList();
        return Responsible(owner, stillListed.Count > 0 ? stillListed : [self], self) ? (current.Members, true) : ([], true);
    }

    private static bool Responsible(AccountId owner, IReadOnlyList<ServiceNode> holders, ServiceNode self) =>
        holders.Count > 0 && SameNode(holders.MinBy(h => Convert.ToHexString(Blake2b.Hash256([.. owner.Key, .. h.Ed25519PublicKey])))!, self);

    private static bool SameNode(ServiceNode a, ServiceNode b) => a.Ed25519PublicKey.AsSpan().SequenceEqual(b.Ed25519PublicKey);

    /// <summary>Sends the accounts' live messages to one node, batch by batch; true when every batch was taken.</summary>
    private async Task<bool> PushAsync(ServiceNode target, List<AccountId> owners, bool refill, CancellationToken cancellationToken)
    {
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var maxBytes = refill ? RefillBatchBytes() : MessagePushBatch.MaxBytes;
        var batch = new List<StoredMessage>();
        long size = 0;
        foreach (var owner in owners)
        {
            foreach (var message in _store.MessagesOf(owner).Where(m => m.ExpiryMs > nowMs))
            {
                batch.Add(message);
                size += MessagePushBatch.SizeOf(message);
                if (size >= maxBytes && !await SendAsync(target, batch, refill, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                if (size >= maxBytes)
                {
                    (batch, size) = ([], 0);
                }
            }
        }

        return batch.Count == 0 || await SendAsync(target, batch, refill, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>About a second of the uplink (at least 64 KB): a refill batch in flight never holds other traffic back for long.</summary>
    private long RefillBatchBytes()
    {
        var rate = _bandwidth.EffectiveRate(Direction.Egress).Rate;
        return double.IsPositiveInfinity(rate) ? MessagePushBatch.MaxBytes : (long)Math.Clamp(rate, 64 * 1024, MessagePushBatch.MaxBytes);
    }

    private async Task<bool> SendAsync(ServiceNode target, List<StoredMessage> batch, bool refill, CancellationToken cancellationToken)
    {
        if (refill && _bandwidth.Refusal(TrafficClass.Refill) is { } reason)
        {
            LogRefillPaused(_logger, target.Ed25519Hex, reason);
            var pausedAt = _time.GetTimestamp();
            await _bandwidth.WaitForTurnAsync(TrafficClass.Refill, cancellationToken).ConfigureAwait(false);
            LogRefillResumed(_logger, target.Ed25519Hex, _time.GetElapsedTime(pausedAt).TotalSeconds);
        }

        var body = MessagePushBatch.Encode(batch);
        var reply = await _peers.PostAsync(target, SwarmPushEndpoint.Path, body, PushTimeout, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytesPushed, body.Length);
        if (!reply.Authentic && _omq.CarriesPeerTraffic && target.OmqPort != 0)
        {
            // No signed answer: a reference node (it has no /swarm_push/v1) or HTTPS not reaching it. The reference's
            // own sn.data carries the batch then; it drops the namespace, which the receiver recovers from the hash.
            return await SendDataAsync(target, batch, cancellationToken).ConfigureAwait(false);
        }

        if (!reply.Authentic || reply.Status != 200)
        {
            LogPushFailed(_logger, target.Ed25519Hex, reply.Status, reply.Authentic);
            return false;
        }

        if (!TookAll(reply.Body))
        {
            LogNotYetOwner(_logger, target.Ed25519Hex);
            return false;
        }

        Interlocked.Add(ref _messagesPushed, batch.Count);
        return true;
    }

    private async Task<bool> SendDataAsync(ServiceNode target, List<StoredMessage> batch, CancellationToken cancellationToken)
    {
        var blob = ReplicationBatch.Encode(batch);
        var reply = await _omq.RequestAsync(target, "sn.data", [blob], PushTimeout, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytesPushed, blob.Length);
        if (!reply.Success)
        {
            LogDataFailed(_logger, target.Ed25519Hex, reply.Reason);
            return false;
        }

        Interlocked.Add(ref _messagesPushed, batch.Count);
        return true;
    }

    private static bool TookAll(byte[] answer) => UntrustedJson.Read(answer, a => a["not_ours"]!.GetValue<int>() == 0, false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Swarm change: messages of {Accounts} accounts {What} ({Targets} nodes): {Outcome}")]
    private static partial void LogMoved(ILogger logger, int accounts, int targets, string what, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resync gave up after {Attempts} attempts; messages move again at the next swarm change")]
    private static partial void LogGaveUp(ILogger logger, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resync failed; retrying")]
    private static partial void LogResyncFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Node {Node} does not own all of the pushed accounts yet (its list is older); trying again")]
    private static partial void LogNotYetOwner(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing messages to node {Node} over sn.data failed: {Reason}")]
    private static partial void LogDataFailed(ILogger logger, string node, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refill of node {Node} paused: {Reason}")]
    private static partial void LogRefillPaused(ILogger logger, string node, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refill of node {Node} resumed after {Seconds:F0} s")]
    private static partial void LogRefillResumed(ILogger logger, string node, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing messages to node {Node} failed: status {Status}, signed answer {Authentic}")]
    private static partial void LogPushFailed(ILogger logger, string node, int status, bool authentic);
}
