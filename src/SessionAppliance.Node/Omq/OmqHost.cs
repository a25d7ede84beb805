using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Swarm;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Omq;

/// <summary>
/// The node's OxenMQ endpoint (spec §2): listens with CurveZMQ on <c>Node:OmqPort</c> under the node's X25519
/// key, serves <c>storage.*</c>, <c>sn.*</c>, <c>monitor.*</c> and oxend's <c>notify.*</c>, and carries requests
/// to peers and to oxend. <c>sn.*</c> is open only to keys of active nodes in the current list.
/// </summary>
public sealed partial class OmqHost(
    NodeKeys keys, NodeOptions node, NetworkOptions network, INetworkViewSource view, IServiceProvider services, ILoggerFactory loggers, ILogger<OmqHost> logger)
    : IHostedService, IDisposable
{
    private OxenMq.OxenMq? _omq;
    private ActiveKeys? _active;

    /// <summary>Swarm replication, pings and onion hops go to peers over OxenMQ rather than HTTPS.</summary>
    public bool CarriesPeerTraffic => _omq is not null && network.UsesOmqPeers;

    public bool IsRunning => _omq is not null;

    public OxenMq.OxenMq Instance => _omq ?? throw new InvalidOperationException("OxenMQ is not running");

    public static OmqPeer PeerOf(ServiceNode node) => new($"tcp://{node.PublicIp}:{node.OmqPort}", node.X25519PublicKey);

    public Task<OmqReply> RequestAsync(ServiceNode peer, string command, IReadOnlyList<byte[]> parts, TimeSpan timeout, CancellationToken cancellationToken) =>
        peer.OmqPort == 0
            ? Task.FromResult(OmqReply.Failed("the node lists no OxenMQ port"))
            : Instance.RequestAsync(PeerOf(peer), command, parts, timeout, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (node.OmqPort == 0 && !network.UsesOxendRpc)
        {
            return Task.CompletedTask;
        }

        var omq = new OxenMq.OxenMq(
            new OxenMqOptions
            {
                CurvePublicKey = keys.X25519PublicKey,
                CurveSecretKey = keys.X25519SecretKey,
                IsServiceNode = true,
                IsActiveServiceNode = IsActive,
            },
            loggers.CreateLogger("SessionAppliance.OxenMq"));
        try
        {
            services.GetRequiredService<StorageCommands>().Register(omq);
            services.GetRequiredService<PeerCommands>().Register(omq);
            services.GetRequiredService<MonitorCommands>().Register(omq);
            services.GetRequiredService<Oxend.OxendClient>().Register(omq);
            if (node.OmqPort != 0)
            {
                var bound = omq.Listen($"tcp://{node.ListenAddress}:{node.OmqPort}", curve: true);
                LogListening(logger, bound, keys.X25519Hex);
            }

            omq.Start();
        }
        catch
        {
            omq.Dispose();
            throw;
        }

        _omq = omq;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        var omq = Interlocked.Exchange(ref _omq, null);
        omq?.Dispose();
    }

    /// <summary>Active: listed with a swarm (decommissioned nodes are not), as oxen-mq's active SN set.</summary>
    private bool IsActive(ReadOnlyMemory<byte> x25519)
    {
        var current = view.Current;
        var active = _active;
        if (active is null || !ReferenceEquals(active.View, current))
        {
            active = new ActiveKeys(current, [.. current.Nodes.Where(n => !n.IsDecommissioned).Select(n => n.X25519Hex)]);
            _active = active;
        }

        return active.Keys.Contains(Convert.ToHexStringLower(x25519.Span));
    }

    private sealed record ActiveKeys(INetworkView View, HashSet<string> Keys);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "OxenMQ listening on {Address} (CurveZMQ key {CurveKey})")]
    private static partial void LogListening(ILogger logger, string address, string curveKey);
}
