using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;

namespace SessionAppliance.Node.Hosting;

/// <summary>
/// What the node tells the status service (LED) on its loopback health port: ready or not and why, and
/// what degrades it. Later capabilities (reachability, bandwidth quota, SD wear) add their reasons here.
/// </summary>
public sealed class NodeHealthReport(NodeReadiness readiness, IMessageStore store, WearAccounting wear, Bandwidth.BandwidthGovernor bandwidth,
    Swarm.INetworkViewSource network, Swarm.ReachabilityMonitor reachability, RequestCounters requests, TimeProvider time)
{
    private static readonly string ApplianceVersion =
        typeof(NodeHealthReport).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false) is [System.Reflection.AssemblyInformationalVersionAttribute version, ..]
            ? version.InformationalVersion
            : "unknown";

    private readonly DateTimeOffset _started = time.GetUtcNow();

    public const double StorageNearlyFull = 0.9;

    /// <summary>What the devnet and the dashboard compare: list size, height, the map's digest and our swarm.</summary>
    private JsonObject Network(bool? reachable)
    {
        var view = network.Current;
        return new JsonObject
        {
            ["nodes"] = view.Nodes.Count,
            ["height"] = view.Height,
            ["map"] = Swarm.NodeList.MapDigest(view),
            ["swarm_id"] = view.Self.SwarmId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            ["swarm_members"] = view.Self.IsDecommissioned ? 0 : view.Nodes.Count(n => n.SwarmId == view.Self.SwarmId),
            ["reachable"] = reachable,
            ["peers_tested"] = reachability.Verdicts.Count,
            ["peers_unreachable"] = new JsonArray([.. reachability.Verdicts.Where(v => !v.Value.Reachable).Select(v => (JsonNode)$"{v.Key}: {v.Value.Reason}")]),
        };
    }

    public JsonObject Build()
    {
        var degraded = new JsonArray();
        var statistics = store.Statistics();
        var (used, capacity) = (statistics.LiveBytes, statistics.CapacityBytes);
        if (statistics.IsFullByCount)
        {
            degraded.Add((JsonNode)$"storage full: new messages are refused ({statistics.MessageCount:N0} messages, the most this node's memory holds; Storage:MaxMessages)");
        }
        else if (used >= capacity)
        {
            degraded.Add((JsonNode)$"storage full: new messages are refused ({used / (1024 * 1024)} of {capacity / (1024 * 1024)} MiB)");
        }
        else if (used >= capacity * StorageNearlyFull)
        {
            degraded.Add((JsonNode)$"storage nearly full ({100.0 * used / capacity:0}% of {capacity / (1024 * 1024)} MiB)");
        }

        if (statistics.DamagedDropped is > 0 and var damaged)
        {
            degraded.Add((JsonNode)$"card damage: {damaged} stored messages no longer matched their hash and were dropped (the swarm keeps its copies; consider a new card)");
        }

        var reachable = reachability.SelfReachable();
        if (reachable == false)
        {
            degraded.Add((JsonNode)$"not reachable: no other node has reached this one for {Swarm.ReachabilityMonitor.UnreachedAfter.TotalMinutes:0} minutes (check the port forward and firewall)");
        }

        if (bandwidth.Refusal(Bandwidth.TrafficClass.Onion) is { } shed)
        {
            degraded.Add((JsonNode)shed);
        }

        return new JsonObject
        {
            ["ready"] = readiness.IsReady,
            ["not_ready"] = new JsonArray([.. readiness.ReasonList.Select(r => (JsonNode)r)]),
            ["degraded"] = degraded,
            ["bandwidth"] = bandwidth.Status(),
            ["network"] = Network(reachable),
            ["node"] = new JsonObject
            {
                ["version"] = ApplianceVersion,
                ["protocol_version"] = Protocol.Rpc.ProtocolVersion.VersionText,
                ["uptime_seconds"] = Math.Round((time.GetUtcNow() - _started).TotalSeconds),
            },
            ["requests"] = new JsonObject
            {
                ["store"] = requests.Total(RequestClass.Store),
                ["retrieve"] = requests.Total(RequestClass.Retrieve),
                ["other_client"] = requests.Total(RequestClass.OtherClient),
                ["onion"] = requests.Total(RequestClass.Onion),
                ["swarm"] = requests.Total(RequestClass.Swarm),
            },
            ["storage"] = new JsonObject
            {
                ["messages"] = statistics.MessageCount,
                ["file_bytes"] = statistics.FileBytes,
                ["used_bytes"] = used,
                ["capacity_bytes"] = capacity,
                ["wear"] = wear.Report(),
            },
            ["process"] = Process(),
        };
    }

    /// <summary>Where the node's memory is: what the soak and an operator watch for growth.</summary>
    private static JsonObject Process()
    {
        var gc = GC.GetGCMemoryInfo();
        return new JsonObject
        {
            ["working_set_bytes"] = Environment.WorkingSet,
            ["gc_heap_bytes"] = gc.HeapSizeBytes,
            ["gc_committed_bytes"] = gc.TotalCommittedBytes,
            ["gc_limit_bytes"] = gc.TotalAvailableMemoryBytes,
        };
    }
}
