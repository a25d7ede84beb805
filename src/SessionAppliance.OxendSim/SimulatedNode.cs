using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.OxendSim;

/// <summary>One simulated service node as oxend knows it: its keys, its address, and what its storage server last told us.</summary>
internal sealed class SimulatedNode(int index, NodeKeys keys, string ip, string rpcAddress)
{
    public int Index { get; } = index;

    public NodeKeys Keys { get; } = keys;

    public string Ip { get; } = ip;

    /// <summary>Where this node's storage server reaches "its" oxend.</summary>
    public string RpcAddress { get; } = rpcAddress;

    public ulong SwarmId { get; set; }

    /// <summary>Ports from the last storage_server_ping; 0 until one came (oxend lists no contact details before an uptime proof).</summary>
    public int HttpsPort { get; set; }

    public int OmqPort { get; set; }

    public int Pings { get; set; }

    public string Version { get; set; } = "";

    public int PeerReportsPassed { get; set; }

    public int PeerReportsFailed { get; set; }

    public int BlockSubscriptions { get; set; }
}
