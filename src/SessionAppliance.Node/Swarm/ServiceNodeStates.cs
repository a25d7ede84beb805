using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Node.Swarm;

/// <summary>The node list in oxend's <c>get_service_nodes</c> / <c>get_n_service_nodes</c> result shape (spec §5.3, §8).</summary>
public static class ServiceNodeStates
{
    public static JsonObject Build(INetworkView view, IReadOnlySet<string>? fields)
    {
        var states = new JsonArray();
        foreach (var node in view.Nodes)
        {
            var all = new JsonObject
            {
                ["service_node_pubkey"] = HexText.Encode(node.LegacyPublicKey),
                ["pubkey_ed25519"] = node.Ed25519Hex,
                ["pubkey_x25519"] = node.X25519Hex,
                ["public_ip"] = node.PublicIp,
                ["storage_port"] = node.HttpsPort,
                ["storage_lmq_port"] = node.OmqPort,
                ["swarm_id"] = node.SwarmId,
                ["requested_unlock_height"] = 0,
                ["funded"] = true,
                ["active"] = !node.IsDecommissioned,
            };
            var state = new JsonObject();
            foreach (var (name, value) in all)
            {
                if (fields is null || fields.Contains(name))
                {
                    state[name] = value?.DeepClone();
                }
            }

            states.Add((JsonNode)state);
        }

        return new JsonObject
        {
            ["service_node_states"] = states,
            ["height"] = view.Height,
            ["block_hash"] = HexText.Encode(view.BlockHash),
            ["status"] = "OK",
        };
    }
}
