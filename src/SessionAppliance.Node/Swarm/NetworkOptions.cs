namespace SessionAppliance.Node.Swarm;

/// <summary>
/// Configuration section "Network": where the node list comes from. A fixed list (<see cref="Nodes"/>), seeds
/// (<see cref="Seeds"/>, our own network: swarms computed from the list), or an oxend JSON-RPC URL (swarms as
/// oxend assigns them). None of them: the node is alone and forms swarm 0 by itself.
/// </summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    public List<StaticNode> Nodes { get; set; } = [];

    /// <summary>Seed base URLs ("https://203.0.113.5:22021/"); the node registers with each and reads the list from the first that answers.</summary>
    public List<string> Seeds { get; set; } = [];

    /// <summary>This node is a seed: it serves <c>POST /json_rpc</c> <c>get_n_service_nodes</c> and takes registrations.</summary>
    public bool IsSeed { get; set; }

    /// <summary>A node that starts with an empty store asks its swarm for the swarm's messages (<see cref="SwarmRefill"/>).</summary>
    public bool RefillWhenEmpty { get; set; } = true;

    /// <summary>A seed's network name; its digest is the shared value every node computes the swarm map with.</summary>
    public string SwarmSeed { get; set; } = "session-appliance";

    /// <summary>An oxend JSON-RPC base URL ("http://127.0.0.1:22023/") whose <c>get_service_nodes</c> is the list, swarm ids included.</summary>
    public string OxendUrl { get; set; } = "";

    /// <summary>
    /// oxend's OxenMQ RPC address ("ipc:///var/lib/oxen/oxend.sock", or "tcp://192.168.1.20:22029" for an oxend on
    /// another machine): the node takes its identity, the node list and blocks from it and reports to it, as the
    /// reference storage server does (spec §5.3). Peers are then reached over OxenMQ.
    /// </summary>
    public string OxendRpc { get; set; } = "";

    /// <summary>oxend's CurveZMQ key (64 hex) when <see cref="OxendRpc"/> is a tcp:// address that needs one; empty for a plain socket.</summary>
    public string OxendCurveKey { get; set; } = "";

    /// <summary>"https" or "omq": how this node reaches other nodes. Empty (default): OxenMQ with oxend, HTTPS otherwise.</summary>
    public string PeerTransport { get; set; } = "";

    public bool UsesOxendRpc => OxendRpc.Length > 0;

    public bool UsesOmqPeers => PeerTransport == "omq" || (PeerTransport.Length == 0 && UsesOxendRpc);

    /// <summary>How often the node re-registers and refreshes the list; a seed forgets a node after three of its own intervals of silence.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsDynamic => IsSeed || Seeds.Count > 0 || OxendUrl.Length > 0 || UsesOxendRpc;
}

/// <summary>One configured node; its X25519 key is derived from the Ed25519 key.</summary>
public sealed class StaticNode
{
    /// <summary>64 hex digits.</summary>
    public string Ed25519 { get; set; } = "";

    public string Ip { get; set; } = "";

    public int HttpsPort { get; set; } = 22021;

    public int OmqPort { get; set; } = 22020;

    public ulong SwarmId { get; set; }
}
