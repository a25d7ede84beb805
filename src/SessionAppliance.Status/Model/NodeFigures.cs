using System.Text.Json;

namespace SessionAppliance.Status.Model;

/// <summary>
/// The figures the node's health report carries beyond its state, for the console and /metrics. Every field
/// is optional: an older node, or one still starting, leaves some out, and the console shows "unknown".
/// </summary>
public sealed record NodeFigures
{
    public string? Version { get; init; }

    public double? UptimeSeconds { get; init; }

    public long? Messages { get; init; }

    public long? FileBytes { get; init; }

    public long? UsedBytes { get; init; }

    public long? CapacityBytes { get; init; }

    /// <summary>Block-layer bytes the card takes per day at the measured rate, and the card life that gives.</summary>
    public double? CardBytesPerDay { get; init; }

    public double? CardLifeYears { get; init; }

    public BandwidthFigures? Bandwidth { get; init; }

    /// <summary>Requests since the node started, by class (store, retrieve, other_client, onion, swarm).</summary>
    public IReadOnlyDictionary<string, long> Requests { get; init; } = new Dictionary<string, long>();

    public string? SwarmId { get; init; }

    public int? SwarmMembers { get; init; }

    public int? NetworkNodes { get; init; }

    /// <summary>Whether other nodes reach this one (the last peer tests); null while untested.</summary>
    public bool? Reachable { get; init; }

    public int? PeersTested { get; init; }

    public long? NodeWorkingSetBytes { get; init; }

    public static NodeFigures Parse(JsonElement root)
    {
        var storage = Child(root, "storage");
        var wear = Child(storage, "wear");
        var network = Child(root, "network");
        var node = Child(root, "node");
        var requests = Child(root, "requests");
        return new NodeFigures
        {
            Version = String(node, "version"),
            UptimeSeconds = Number(node, "uptime_seconds"),
            Messages = Long(storage, "messages"),
            FileBytes = Long(storage, "file_bytes"),
            UsedBytes = Long(storage, "used_bytes"),
            CapacityBytes = Long(storage, "capacity_bytes"),
            CardBytesPerDay = Number(wear, "block_bytes_per_day"),
            CardLifeYears = Number(wear, "projected_card_life_years"),
            Bandwidth = Child(root, "bandwidth") is { } b ? BandwidthFigures.Parse(b) : null,
            Requests = requests is { } r
                ? r.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out _)).ToDictionary(p => p.Name, p => p.Value.GetInt64())
                : new Dictionary<string, long>(),
            SwarmId = String(network, "swarm_id"),
            SwarmMembers = (int?)Long(network, "swarm_members"),
            NetworkNodes = (int?)Long(network, "nodes"),
            Reachable = Child(network, "reachable") is { ValueKind: JsonValueKind.True or JsonValueKind.False } reach ? reach.GetBoolean() : null,
            PeersTested = (int?)Long(network, "peers_tested"),
            NodeWorkingSetBytes = Long(Child(root, "process"), "working_set_bytes"),
        };
    }

    internal static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null ? child : null;

    internal static string? String(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    internal static double? Number(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : null;

    internal static long? Long(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var v) ? v : Number(parent, name) is { } d ? (long)d : null;
}

/// <summary>The bandwidth governor's period: used in and out, the quota, where today's pace ends the period, and the slower windows.</summary>
public sealed record BandwidthFigures(
    DateTime? PeriodStart, DateTime? PeriodEnd, long IngressBytes, long EgressBytes, long CountedBytes, long? QuotaBytes,
    long? ProjectedBytes, string? Rule, string? Policy, double? IngressRate, double? EgressRate, string? LimitedBy,
    IReadOnlyList<(string From, string To, double Rate)> Schedule)
{
    public static BandwidthFigures Parse(JsonElement b) => new(
        Date(NodeFigures.String(b, "period_start")), Date(NodeFigures.String(b, "period_end")),
        NodeFigures.Long(b, "ingress_bytes") ?? 0, NodeFigures.Long(b, "egress_bytes") ?? 0, NodeFigures.Long(b, "counted_bytes") ?? 0,
        NodeFigures.Long(b, "quota_bytes"), NodeFigures.Long(b, "projected_bytes"), NodeFigures.String(b, "rule"), NodeFigures.String(b, "policy"),
        NodeFigures.Number(b, "ingress_rate"), NodeFigures.Number(b, "egress_rate"), NodeFigures.String(b, "limited_by"),
        NodeFigures.Child(b, "schedule") is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray().Select(w => (NodeFigures.String(w, "from") ?? "?", NodeFigures.String(w, "to") ?? "?", NodeFigures.Number(w, "rate") ?? 0))]
            : []);

    private static DateTime? Date(string? text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;
}
