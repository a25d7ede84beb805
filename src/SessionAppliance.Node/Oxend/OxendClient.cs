using System.Text;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Omq;
using SessionAppliance.Node.Swarm;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Oxend;

/// <summary>
/// The node's side of oxend, as the reference storage server has it (spec §5.3): a lasting OxenMQ connection;
/// the node list from <c>rpc.get_service_nodes</c> (with <c>poll_block_hash</c>) at start and on each
/// <c>notify.block</c>; every 30 s <c>admin.storage_server_ping</c> (no pings, no uptime proofs: oxend would
/// decommission the node) and <c>sub.block</c> (oxend drops subscriptions after 30 minutes); and
/// <c>admin.report_peer_status</c> after each peer test.
/// </summary>
public sealed partial class OxendClient(
    NetworkOptions options, NodeOptions node, NodeKeys keys, OmqHost omq, NetworkRefresher refresher, NodeReadiness readiness,
    TimeProvider time, ILogger<OxendClient> logger) : BackgroundService
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
    private const string Component = "oxend";

    /// <summary>The fields the reference asks for (spec §5.3).</summary>
    private static readonly string[] Fields =
        ["service_node_pubkey", "swarm_id", "storage_port", "public_ip", "height", "block_hash", "hardfork", "snode_revision", "funded", "pubkey_x25519", "pubkey_ed25519", "storage_lmq_port"];

    private TaskCompletionSource _newBlock = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _lastBlockHash = "";

    public OmqPeer Oxend => PeerOf(options);

    /// <summary>oxend as configured: its RPC address, with its CurveZMQ key when one is given.</summary>
    public static OmqPeer PeerOf(NetworkOptions options) =>
        new(options.OxendRpc, options.OxendCurveKey.Length > 0 ? HexText.Decode(options.OxendCurveKey) : null);

    /// <summary>oxend's pushes: <c>notify.block</c> (oxend sends it untagged; a tagged one is taken too).</summary>
    public void Register(OxenMq.OxenMq instance)
    {
        if (!options.UsesOxendRpc)
        {
            return;
        }

        instance.AddCategory("notify", new Access(AuthLevel.Admin));
        instance.AddCommand("notify", "block", _ =>
        {
            Volatile.Read(ref _newBlock).TrySetResult();
            return Task.CompletedTask;
        });
    }

    /// <summary>Tells oxend how a peer test went (the reference reports every test, passed or not).</summary>
    public async Task ReportPeerStatusAsync(string legacyPubkeyHex, bool passed, CancellationToken cancellationToken)
    {
        if (!options.UsesOxendRpc || !omq.IsRunning)
        {
            return;
        }

        var request = new JsonObject { ["type"] = "storage", ["pubkey"] = legacyPubkeyHex, ["passed"] = passed };
        var reply = await omq.Instance.RequestAsync(Oxend, "admin.report_peer_status", [Encoding.UTF8.GetBytes(request.ToJsonString())], RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (!IsOk(reply))
        {
            LogReportRefused(logger, Describe(reply));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.UsesOxendRpc)
        {
            return;
        }

        readiness.NotReady(Component, "waiting for oxend at " + options.OxendRpc);
        try
        {
            await ConnectAsync(stoppingToken).ConfigureAwait(false);
            var nextPing = time.GetTimestamp();
            while (!stoppingToken.IsCancellationRequested)
            {
                if (time.GetElapsedTime(nextPing) >= TimeSpan.Zero)
                {
                    await PingAsync(stoppingToken).ConfigureAwait(false);
                    nextPing = time.GetTimestamp() + (long)(PingInterval.TotalSeconds * time.TimestampFrequency);
                }

                await FetchListAsync(stoppingToken).ConfigureAwait(false);

                // Wait for a block, or at the latest the next ping (which is also when a lost list is asked again).
                await WaitForBlockAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WaitForBlockAsync(CancellationToken cancellationToken)
    {
        var block = Volatile.Read(ref _newBlock);
        try
        {
            await block.Task.WaitAsync(PingInterval, time, cancellationToken).ConfigureAwait(false);
            Interlocked.CompareExchange(ref _newBlock, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), block);
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var attempts = 0;
        while (!await omq.Instance.ConnectAsync(Oxend, AuthLevel.Admin, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false))
        {
            if (attempts++ % 6 == 0)
            {
                LogWaitingForOxend(logger, options.OxendRpc);
            }
        }

        readiness.Ready(Component);
        LogConnected(logger, options.OxendRpc);
    }

    private async Task FetchListAsync(CancellationToken cancellationToken)
    {
        var fields = new JsonObject();
        foreach (var field in Fields)
        {
            fields[field] = true;
        }

        var request = new JsonObject { ["fields"] = fields, ["active_only"] = false };
        if (_lastBlockHash.Length > 0)
        {
            request["poll_block_hash"] = _lastBlockHash;
        }

        var reply = await omq.Instance.RequestAsync(Oxend, "rpc.get_service_nodes", [Encoding.UTF8.GetBytes(request.ToJsonString())], RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (!reply.Success || reply.Parts.Count < 2 || UntrustedJson.Read(reply.Parts[1], a => a, null) is not { } result)
        {
            LogListFailed(logger, Describe(reply));
            return;
        }

        if (result["unchanged"] is JsonValue unchanged && unchanged.GetValueKind() == System.Text.Json.JsonValueKind.True)
        {
            return;
        }

        if (NodeListClient.Parse(new JsonObject { ["result"] = result.DeepClone() }, "oxend", skipIncomplete: true) is not { } list)
        {
            LogListFailed(logger, "an answer that is not a node list");
            return;
        }

        _lastBlockHash = result["block_hash"]?.GetValue<string>() ?? "";
        refresher.Apply(list, swarmsAssigned: true);
    }

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        var ping = new JsonObject
        {
            ["version"] = ProtocolVersion.VersionJson(),
            ["pubkey_ed25519"] = keys.Ed25519Hex,
            ["https_port"] = node.HttpsPort,
            ["omq_port"] = node.OmqPort,
        };
        var reply = await omq.Instance.RequestAsync(Oxend, "admin.storage_server_ping", [Encoding.UTF8.GetBytes(ping.ToJsonString())], RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (IsOk(reply))
        {
            readiness.Ready(Component);
        }
        else
        {
            // oxend must hear from us or it stops sending uptime proofs and the node is decommissioned.
            LogPingRefused(logger, Describe(reply));
            readiness.NotReady(Component, "oxend refused our ping: " + Describe(reply));
        }

        var subscription = await omq.Instance.RequestAsync(Oxend, "sub.block", [], RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (!subscription.Success)
        {
            LogSubscribeFailed(logger, Describe(subscription));
        }
    }

    private static bool IsOk(OmqReply reply) =>
        reply.Success && reply.Parts.Count >= 2 && UntrustedJson.Read(reply.Parts[1], a => a["status"]?.GetValue<string>(), null) == "OK";

    private static string Describe(OmqReply reply)
    {
        if (!reply.Success)
        {
            return reply.Reason;
        }

        var text = string.Join(" ", reply.Parts.Select(p => Encoding.UTF8.GetString(p))).Trim();
        return text.Length == 0 ? "an empty reply" : text.Length > 200 ? text[..200] + "…" : text;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Waiting for oxend at {Address} (is it running, and is this its OxenMQ RPC address?)")]
    private static partial void LogWaitingForOxend(ILogger logger, string address);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Connected to oxend at {Address}")]
    private static partial void LogConnected(ILogger logger, string address);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "oxend's node list could not be read: {Reason}; keeping the current list")]
    private static partial void LogListFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Critical, Message = "oxend did not take our storage server ping ({Reason}): without it oxend sends no uptime proofs and the node will be decommissioned")]
    private static partial void LogPingRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Block subscription at oxend failed: {Reason}")]
    private static partial void LogSubscribeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "oxend did not take a peer report: {Reason}")]
    private static partial void LogReportRefused(ILogger logger, string reason);
}
