using System.Text.Json.Nodes;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc;

/// <summary>
/// Builds the reply of a state-changing ("recursive") method: per-node entries under "swarm" keyed by
/// Ed25519 hex, the entry node's own entry carrying "t"; 200 if any entry succeeded, else 500 (spec §3.4).
/// </summary>
public sealed class SwarmReply(INetworkViewSource network, ResponseStamp stamp)
{
    public static JsonObject Failure(int code, string reason) => new()
    {
        ["failed"] = true,
        ["code"] = code,
        ["reason"] = reason,
    };

    public RpcResponse Build(JsonObject ownEntry, JsonObject? topLevel = null)
    {
        if (ownEntry["failed"] is null)
        {
            ownEntry["t"] = stamp.NowMs;
        }

        var body = topLevel ?? [];
        body["swarm"] = new JsonObject { [network.Current.Self.Ed25519Hex] = ownEntry };
        var anySucceeded = ownEntry["failed"] is null;
        return RpcResponse.WithJson(anySucceeded ? 200 : 500, stamp.Stamp(body));
    }
}
