using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>The "messages" parameter (a hash or a non-empty list of hashes) and hash lists in replies.</summary>
internal static class MessageList
{
    public static IReadOnlyList<string> Require(RpcParams p)
    {
        var hashes = p.RequireStringList("messages");
        if (hashes.Count == 0)
        {
            throw RpcException.InvalidRequest("messages must be a non-empty list");
        }

        foreach (var hash in hashes)
        {
            if (!MessageHash.IsWellFormed(hash))
            {
                throw RpcParams.WrongType("messages", "43-character message hashes");
            }
        }

        return hashes;
    }

    public static JsonArray ToJson(IEnumerable<string> hashes) => [.. hashes.Select(h => (JsonNode)h)];

    public static JsonArray ToJson(IEnumerable<long> values) => [.. values.Select(v => (JsonNode)v)];
}
