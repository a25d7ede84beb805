using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>The "messages" parameter (a hash or a non-empty list of hashes) and hash lists in replies.</summary>
internal static class MessageList
{
    /// <summary>Required and non-empty; with <paramref name="validate"/>, each a 43-character base64 hash.</summary>
    public static IReadOnlyList<string> Require(RpcParams p, bool validate = true)
    {
        var hashes = p.OptionalStringList("messages") ?? throw RpcParams.Missing("messages");
        if (hashes.Count == 0)
        {
            throw RpcException.InvalidRequest("messages does not contain any message hashes");
        }

        if (validate && hashes.FirstOrDefault(h => !MessageHash.IsWellFormed(h)) is { } bad)
        {
            throw RpcException.InvalidRequest("invalid message hash: " + bad);
        }

        return hashes;
    }

    public static JsonArray ToJson(IEnumerable<string> hashes) => [.. hashes.Select(h => (JsonNode)h)];

    public static JsonArray ToJson(IEnumerable<long> values) => [.. values.Select(v => (JsonNode)v)];
}
