using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// Peer tests (spec §5.6): every interval one random peer, plus failing peers again after a backoff of 10 s per
/// failure (at most 2 min). A test passes when <c>/ping_test/v1</c> answers 200 naming the peer's key, OxenMQ's
/// <c>sn.ping</c> is answered when peers are reached that way, and, for a
/// member of our own swarm, when it hands back a message we both should hold (<c>/swarm_test/v1</c>). The node
/// also notes when other nodes last reached it: one that no peer has reached for 2 minutes is not reachable and
/// says so in health (the status light shows it degraded).
/// </summary>
public sealed partial class ReachabilityMonitor(
    INetworkViewSource network, PeerChannel peers, IMessageStore store, Omq.OmqHost omq, IServiceProvider services, TimeProvider time, ILogger<ReachabilityMonitor> logger)
    : BackgroundService
{
    public const string StorageTestPath = "/swarm_test/v1";
    public static readonly TimeSpan TestInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan UnreachedAfter = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, PeerVerdict> _verdicts = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private long _lastReachedTicks;

    public IReadOnlyDictionary<string, PeerVerdict> Verdicts => _verdicts;

    /// <summary>Called when a listed node's signed test reached us.</summary>
    public void ReachedByPeer() => Interlocked.Exchange(ref _lastReachedTicks, time.GetUtcNow().UtcTicks);

    /// <summary>True or false once it can be told; null while alone or in the first two minutes.</summary>
    public bool? SelfReachable()
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastReachedTicks);
        if (last != 0 && now - new DateTimeOffset(last, TimeSpan.Zero) < UnreachedAfter)
        {
            return true;
        }

        return network.Current.Nodes.Count < 2 || now - _started < UnreachedAfter ? null : false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TestInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await TestDueAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogTestsFailed(logger, error);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task TestDueAsync(CancellationToken cancellationToken)
    {
        var view = network.Current;
        var others = view.Nodes.Where(n => n.Ed25519Hex != view.Self.Ed25519Hex).ToList();
        foreach (var gone in _verdicts.Keys.Where(k => !others.Any(o => o.Ed25519Hex == k)).ToList())
        {
            _verdicts.TryRemove(gone, out _);
        }

        if (others.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var due = others.Where(n => _verdicts.TryGetValue(n.Ed25519Hex, out var v) && !v.Reachable
            && now - v.TestedAt >= TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, TimeSpan.FromSeconds(10).Ticks * v.Failures))).ToList();
        due.Add(others[Random.Shared.Next(others.Count)]);
        foreach (var peer in due.DistinctBy(p => p.Ed25519Hex))
        {
            await TestAsync(view, peer, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TestAsync(INetworkView view, ServiceNode peer, CancellationToken cancellationToken)
    {
        var reason = await PingAsync(peer, cancellationToken).ConfigureAwait(false)
            ?? (omq.CarriesPeerTraffic ? await OmqPingAsync(peer, cancellationToken).ConfigureAwait(false) : null)
            ?? (peer.SwarmId == view.Self.SwarmId ? await StorageTestAsync(view, peer, cancellationToken).ConfigureAwait(false) : null);

        // oxend decides from these reports whom to penalise; the reference reports every test, passed or not.
        await services.GetRequiredService<Oxend.OxendClient>().ReportPeerStatusAsync(peer.Ed25519Hex, reason is null, cancellationToken).ConfigureAwait(false);
        var failures = reason is null ? 0 : (_verdicts.TryGetValue(peer.Ed25519Hex, out var previous) ? previous.Failures : 0) + 1;
        _verdicts[peer.Ed25519Hex] = new PeerVerdict(reason is null, time.GetUtcNow(), failures, reason);
        if (failures == 1)
        {
            LogUnreachable(logger, peer.Ed25519Hex, reason!);
        }
    }

    /// <summary>Null when the peer answered as itself; else why not. Signed, so the peer can count us as its tester.</summary>
    private async Task<string?> PingAsync(ServiceNode peer, CancellationToken cancellationToken)
    {
        var reply = await peers.PostAsync(peer, "/ping_test/v1", [], Timeout, cancellationToken).ConfigureAwait(false);
        if (reply.Status != 200)
        {
            return reply.Status == 504 ? "ping test timed out" : $"ping test answered {reply.Status}";
        }

        return reply.Authentic ? null : "ping test answered without the listed key";
    }

    /// <summary>OxenMQ <c>sn.ping</c>: any answer within 5 s passes, as the reference counts it.</summary>
    private async Task<string?> OmqPingAsync(ServiceNode peer, CancellationToken cancellationToken)
    {
        var reply = await omq.RequestAsync(peer, "sn.ping", [], Timeout, cancellationToken).ConfigureAwait(false);
        return reply.Success ? null : "OxenMQ ping: " + reply.Reason;
    }

    /// <summary>Asks a swarm peer for a message we hold that it should hold too.</summary>
    private async Task<string?> StorageTestAsync(INetworkView view, ServiceNode peer, CancellationToken cancellationToken)
    {
        var owners = store.Owners().Where(o => view.SwarmOf(o).SwarmId == view.Self.SwarmId).ToList();
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var sample = owners.Count == 0 ? null : store.MessagesOf(owners[Random.Shared.Next(owners.Count)])
            .FirstOrDefault(m => m.ExpiryMs > nowMs + 60_000 && m.TimestampMs < nowMs - 60_000);
        if (sample is null)
        {
            return null;
        }

        var body = Encoding.UTF8.GetBytes(new JsonObject { ["pubkey"] = sample.Owner.Hex, ["hash"] = sample.Hash }.ToJsonString());
        var reply = await peers.PostAsync(peer, StorageTestPath, body, Timeout, cancellationToken).ConfigureAwait(false);
        if (!reply.Authentic || reply.Status != 200)
        {
            return $"storage test answered {reply.Status}{(reply.Authentic ? "" : " unsigned")}";
        }

        var data = UntrustedJson.Read(reply.Body, a => a["data"]!.GetValue<string>(), null);
        return data == Convert.ToBase64String(sample.Data) ? null : "storage test: the peer does not hold a message of its swarm";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Peer tests failed this round")]
    private static partial void LogTestsFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer} failed its test: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string peer, string reason);
}
