using System.Globalization;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>
/// The per-node entry of delete_all, delete_before and expire_all: the affected hashes (a sorted list, or
/// one sorted list per namespace for "all") and a signature over owner ‖ value ‖ every hash in ASCII order.
/// </summary>
internal static class BulkChangeReply
{
    public static JsonObject Entry(string key, AccountId owner, long value, short? ns, IReadOnlyList<NamespacedHash> affected, NodeKeys keys)
    {
        var sorted = affected.Select(a => a.Hash).Order(StringComparer.Ordinal).ToList();
        JsonNode list;
        if (ns is null)
        {
            var byNamespace = new JsonObject();
            foreach (var group in affected.GroupBy(a => a.Namespace).OrderBy(g => g.Key))
            {
                byNamespace[group.Key.ToString(CultureInfo.InvariantCulture)] = MessageList.ToJson(group.Select(a => a.Hash).Order(StringComparer.Ordinal));
            }

            list = byNamespace;
        }
        else
        {
            list = MessageList.ToJson(sorted);
        }

        return new JsonObject
        {
            [key] = list,
            ["signature"] = Base64Text.Encode(keys.Sign(SignedMessages.BulkReply(owner, value, sorted))),
        };
    }
}
