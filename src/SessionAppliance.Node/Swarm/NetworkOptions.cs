namespace SessionAppliance.Node.Swarm;

/// <summary>
/// Configuration section "Network": a fixed node list for closed networks and tests. Empty means this node
/// is alone and forms swarm 0 by itself. Seeds and swarm formation come with the swarm issue.
/// </summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    public List<StaticNode> Nodes { get; set; } = [];
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
