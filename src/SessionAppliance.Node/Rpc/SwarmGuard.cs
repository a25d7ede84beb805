using System.Text.Json.Nodes;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Rpc;

/// <summary>Answers whether an account belongs to this node's swarm, and builds the get_swarm body (also the 421 body).</summary>
public sealed class SwarmGuard(INetworkViewSource network, ResponseStamp stamp)
{
    /// <summary>A 421 answer naming the right swarm, or null when the account is ours.</summary>
    public RpcResponse? Misrouted(AccountId account)
    {
        var view = network.Current;
        var swarm = view.SwarmOf(account);
        return swarm.SwarmId == view.Self.SwarmId && !view.Self.IsDecommissioned ? null : RpcResponse.WithJson(421, SwarmBody(swarm));
    }

    public JsonObject SwarmBody(AccountId account) => SwarmBody(network.Current.SwarmOf(account));

    private JsonObject SwarmBody(SwarmAssignment swarm)
    {
        var snodes = new JsonArray();
        foreach (var node in swarm.Members)
        {
            snodes.Add((JsonNode)SnodeEntry(node));
        }

        return stamp.Stamp(new JsonObject
        {
            ["snodes"] = snodes,
            ["swarm"] = swarm.SwarmId.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private static JsonObject SnodeEntry(ServiceNode node) => new()
    {
        ["address"] = node.SnodeAddress,
        ["pubkey_legacy"] = Protocol.Codecs.HexText.Encode(node.LegacyPublicKey),
        ["pubkey_x25519"] = node.X25519Hex,
        ["pubkey_ed25519"] = node.Ed25519Hex,
        ["port"] = node.HttpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["port_https"] = node.HttpsPort,
        ["port_omq"] = node.OmqPort,
        ["port_quic"] = node.OmqPort,
        ["ip"] = node.PublicIp,
    };
}
