using System.Text.Json.Nodes;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc;

/// <summary>
/// Builds the reply of a state-changing ("recursive") method: per-node entries under "swarm" keyed by
/// Ed25519 hex (store's own entry also carries "t"). The reference answers 200 even when entries failed
/// (its all-failed check looks at the wrong level), and clients read the entries, so we do the same.
/// </summary>
public sealed class SwarmReply(INetworkViewSource network, ResponseStamp stamp)
{
    /// <summary>
    /// This node could not apply the change. A full store says no more than that, as in the reference, which
    /// sets "reason" only when its database threw.
    /// </summary>
    public static JsonObject QueryFailure() => new()
    {
        ["failed"] = true,
        ["query_failure"] = true,
    };

    /// <param name="ownTime">Only store's own entry carries "t" in the reference.</param>
    public RpcResponse Build(JsonObject ownEntry, JsonObject? topLevel = null, bool ownTime = false)
    {
        if (ownTime)
        {
            ownEntry["t"] = stamp.NowMs;
        }

        var body = topLevel ?? [];
        body["swarm"] = new JsonObject { [network.Current.Self.Ed25519Hex] = ownEntry };
        return RpcResponse.Ok(stamp.Stamp(body));
    }
}
