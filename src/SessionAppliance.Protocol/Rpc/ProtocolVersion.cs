using System.Text.Json.Nodes;

namespace SessionAppliance.Protocol.Rpc;

/// <summary>The storage-server version and hard fork this node presents itself as (spec §3.4 info, §2 get_stats).</summary>
public static class ProtocolVersion
{
    public static readonly int[] Version = [2, 8, 0];

    /// <summary>
    /// [hard fork, revision]. The reference takes it live from oxend; 19.4 is the fork that activates expire's
    /// list form, which this node supports, and clients do not otherwise check it.
    /// </summary>
    public static readonly int[] Hardfork = [19, 4];

    public const string VersionText = "2.8.0";

    public static JsonArray VersionJson() => [.. Version.Select(v => (JsonNode)v)];

    public static JsonArray HardforkJson() => [.. Hardfork.Select(v => (JsonNode)v)];
}
