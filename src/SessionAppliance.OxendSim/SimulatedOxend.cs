using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.OxendSim;

/// <summary>
/// oxend as a storage server sees it (spec §5.3), for N service nodes at once: each node's storage server talks
/// to its own RPC socket. Served: <c>admin.get_service_node_privkey</c>, <c>rpc.get_service_nodes</c> (with
/// <c>poll_block_hash</c>), <c>rpc.get_block_hash</c>, <c>sub.block</c> with <c>notify.block</c> pushes on each
/// new block, <c>admin.storage_server_ping</c> and <c>admin.report_peer_status</c>. Swarm ids come from oxend's
/// rules (<see cref="SwarmMap"/>), assigned once for the fixed set of nodes.
/// </summary>
internal sealed class SimulatedOxend : IDisposable
{
    private readonly object _gate = new();
    private readonly List<SimulatedNode> _nodes;
    private readonly List<OxenMq.OxenMq> _sockets = [];
    private readonly List<(OxenMq.OxenMq Socket, OmqConnection Connection)> _subscribers = [];
    private long _height = 1000;

    /// <summary>Where stand-ins are said to listen, on addresses nothing listens on (127.0.200.x).</summary>
    private const int StandInPort = 9;

    /// <param name="standIns">
    /// Listed nodes no storage server runs for, with contact details as if proved: a reference storage server
    /// refuses a list of fewer than 100 nodes and dials the public seeds, so a benchmark against it lists 100.
    /// </param>
    /// <param name="soloSwarms">Every node in a swarm of its own (ids spread evenly), so no store is replicated.</param>
    public SimulatedOxend(IReadOnlyList<(NodeKeys Keys, string Ip, string RpcAddress)> nodes, ILogger logger, int standIns = 0, bool soloSwarms = false)
    {
        _nodes = [.. nodes.Select((n, i) => new SimulatedNode(i, n.Keys, n.Ip, n.RpcAddress))];
        for (var i = 0; i < standIns; i++)
        {
            _nodes.Add(new SimulatedNode(_nodes.Count, NodeKeys.FromSeed(Blake2b.Hash256(Encoding.ASCII.GetBytes("stand-in " + i))), $"127.0.200.{1 + i}", "")
            {
                HttpsPort = StandInPort,
                OmqPort = StandInPort + 1,
            });
        }

        var assigned = SwarmMap.Assign([.. _nodes.Select(n => new ServiceNode(n.Keys.Ed25519.PublicKey, n.Keys.X25519PublicKey, n.Ip, 0, 0, 0))], BlockHash(_height));
        foreach (var node in _nodes)
        {
            node.SwarmId = soloSwarms
                ? (ulong.MaxValue / (ulong)_nodes.Count) * (ulong)node.Index
                : assigned.First(a => a.Ed25519Hex == node.Keys.Ed25519Hex).SwarmId;
        }

        foreach (var node in _nodes.Where(n => n.RpcAddress.Length > 0))
        {
            // Its local admin socket: whoever can open it is the node's own storage server (oxend's --omq-local-admin).
            var omq = new OxenMq.OxenMq(new OxenMqOptions { Allow = (_, _, _) => AuthLevel.Admin }, logger);
            omq.AddCategory("admin", new Access(AuthLevel.Admin));
            omq.AddRequestCommand("admin", "get_service_node_privkey", _ => Reply(PrivateKeys(node)));
            omq.AddRequestCommand("admin", "storage_server_ping", m => Reply(Ping(node, m)));
            omq.AddRequestCommand("admin", "report_peer_status", m => Reply(PeerStatus(node, m)));
            omq.AddCategory("rpc", new Access(AuthLevel.None));
            omq.AddRequestCommand("rpc", "get_service_nodes", m => Reply(ServiceNodes(m)));
            omq.AddRequestCommand("rpc", "get_block_hash", m => Reply(BlockHashes(m)));
            omq.AddCategory("sub", new Access(AuthLevel.None));
            omq.AddRequestCommand("sub", "block", m => Task.FromResult<IReadOnlyList<byte[]>?>([Encoding.ASCII.GetBytes(Subscribe(omq, node, m))]));
            omq.Listen(node.RpcAddress, curve: false);
            omq.Start();
            _sockets.Add(omq);
        }
    }

    public long Height
    {
        get
        {
            lock (_gate)
            {
                return _height;
            }
        }
    }

    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    /// <summary>A new block: height + 1, and every subscriber is told (<c>notify.block [height, hash]</c>).</summary>
    public void MineBlock()
    {
        long height;
        (OxenMq.OxenMq Socket, OmqConnection Connection)[] subscribers;
        lock (_gate)
        {
            height = ++_height;
            subscribers = [.. _subscribers];
        }

        var parts = new ReadOnlyMemory<byte>[] { Encoding.ASCII.GetBytes(height.ToString(CultureInfo.InvariantCulture)), BlockHash(height) };
        foreach (var (socket, connection) in subscribers)
        {
            socket.Send(connection, "notify.block", parts);
        }
    }

    /// <summary>Everything the simulator has heard, for tests and the devnet's checks.</summary>
    public JsonObject State()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["height"] = _height,
                ["block_hash"] = HexText.Encode(BlockHash(_height)),
                ["nodes"] = new JsonArray([.. _nodes.Select(n => (JsonNode)new JsonObject
                {
                    ["pubkey_ed25519"] = n.Keys.Ed25519Hex,
                    ["rpc"] = n.RpcAddress,
                    ["swarm_id"] = n.SwarmId.ToString("x16", CultureInfo.InvariantCulture),
                    ["pings"] = n.Pings,
                    ["version"] = n.Version,
                    ["https_port"] = n.HttpsPort,
                    ["omq_port"] = n.OmqPort,
                    ["peer_reports_passed"] = n.PeerReportsPassed,
                    ["peer_reports_failed"] = n.PeerReportsFailed,
                    ["block_subscriptions"] = n.BlockSubscriptions,
                })]),
            };
        }
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    public static byte[] BlockHash(long height) => Blake2b.Hash256(Encoding.ASCII.GetBytes("oxend-sim block " + height.ToString(CultureInfo.InvariantCulture)));

    private static Task<IReadOnlyList<byte[]>?> Reply(JsonNode result) =>
        Task.FromResult<IReadOnlyList<byte[]>?>(["200"u8.ToArray(), Encoding.UTF8.GetBytes(result.ToJsonString())]);

    private static JsonObject? Params(OmqMessage message) =>
        message.Parts.Count > 0 && message.Parts[0].Length > 0 ? JsonNode.Parse(message.Parts[0]) as JsonObject : new JsonObject();

    private static JsonObject PrivateKeys(SimulatedNode node) => new()
    {
        // Without a legacy key oxend's primary key is the Ed25519 key (spec §7): its scalar, so that the reference's
        // scalar × B (no clamping) gives the Ed25519 public key, which is what the node list names it by.
        ["service_node_privkey"] = HexText.Encode(Ed25519Scalar(node.Keys.Ed25519.Seed)),
        ["service_node_ed25519_privkey"] = HexText.Encode(node.Keys.Ed25519.SecretKey),
        ["service_node_x25519_privkey"] = HexText.Encode(node.Keys.X25519SecretKey),
    };

    /// <summary>The clamped first half of SHA-512 of the seed: the secret scalar of an Ed25519 key (RFC 8032 §5.1.5).</summary>
    private static byte[] Ed25519Scalar(ReadOnlySpan<byte> seed)
    {
        var scalar = System.Security.Cryptography.SHA512.HashData(seed)[..32];
        scalar[0] &= 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        return scalar;
    }

    private JsonObject Ping(SimulatedNode node, OmqMessage message)
    {
        var ping = Params(message);
        if (ping?["pubkey_ed25519"]?.GetValue<string>() != node.Keys.Ed25519Hex)
        {
            return new JsonObject { ["status"] = "Error: the ping's Ed25519 key is not this service node's" };
        }

        lock (_gate)
        {
            node.Pings++;
            node.HttpsPort = ping["https_port"]?.GetValue<int>() ?? 0;
            node.OmqPort = ping["omq_port"]?.GetValue<int>() ?? 0;
            node.Version = string.Join(".", ping["version"]?.AsArray().Select(v => v!.ToJsonString()) ?? []);
        }

        return new JsonObject { ["status"] = "OK" };
    }

    private JsonObject PeerStatus(SimulatedNode node, OmqMessage message)
    {
        var report = Params(message);
        if (report?["type"]?.GetValue<string>() != "storage" || report["pubkey"]?.GetValue<string>() is not { Length: 64 })
        {
            return new JsonObject { ["status"] = "Error: expected type \"storage\" and a 64-hex pubkey" };
        }

        lock (_gate)
        {
            if (report["passed"]?.GetValue<bool>() == true)
            {
                node.PeerReportsPassed++;
            }
            else
            {
                node.PeerReportsFailed++;
            }
        }

        return new JsonObject { ["status"] = "OK" };
    }

    private JsonObject ServiceNodes(OmqMessage message)
    {
        var request = Params(message);
        lock (_gate)
        {
            var hash = HexText.Encode(BlockHash(_height));
            if (request?["poll_block_hash"]?.GetValue<string>() == hash)
            {
                return new JsonObject { ["unchanged"] = true, ["height"] = _height, ["block_hash"] = hash };
            }

            var states = new JsonArray();
            foreach (var node in _nodes)
            {
                var proved = node.HttpsPort != 0;
                states.Add((JsonNode)new JsonObject
                {
                    ["service_node_pubkey"] = node.Keys.Ed25519Hex,
                    ["pubkey_ed25519"] = node.Keys.Ed25519Hex,
                    ["pubkey_x25519"] = node.Keys.X25519Hex,
                    ["public_ip"] = proved ? node.Ip : "0.0.0.0",
                    ["storage_port"] = node.HttpsPort,
                    ["storage_lmq_port"] = node.OmqPort,
                    ["swarm_id"] = node.SwarmId,
                    ["funded"] = true,
                });
            }

            return new JsonObject
            {
                ["service_node_states"] = states,
                ["height"] = _height,
                ["block_hash"] = hash,
                ["hardfork"] = 21,
                ["snode_revision"] = 0,
            };
        }
    }

    /// <summary><c>{"height": [h]}</c> → the hash of block h as a JSON string, as the reference reads it.</summary>
    private JsonNode BlockHashes(OmqMessage message)
    {
        var heights = Params(message)?["height"]?.AsArray().Select(h => h!.GetValue<long>()).ToList() ?? [];
        lock (_gate)
        {
            var known = heights.Where(h => h > 0 && h <= _height).ToList();
            return known.Count == 1
                ? JsonValue.Create(HexText.Encode(BlockHash(known[0])))
                : new JsonObject([.. known.Select(h => KeyValuePair.Create(h.ToString(CultureInfo.InvariantCulture), (JsonNode?)HexText.Encode(BlockHash(h))))]);
        }
    }

    private string Subscribe(OxenMq.OxenMq socket, SimulatedNode node, OmqMessage message)
    {
        lock (_gate)
        {
            node.BlockSubscriptions++;
            var connection = message.Connection;
            if (_subscribers.Any(s => s.Socket == socket && s.Connection.Socket == connection.Socket && s.Connection.Route.AsSpan().SequenceEqual(connection.Route)))
            {
                return "ALREADY";
            }

            _subscribers.Add((socket, connection));
            return "OK";
        }
    }
}
