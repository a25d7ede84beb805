using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// Talks oxend's JSON-RPC (spec §5.3, §8): <c>get_n_service_nodes</c> from a seed or oxend, and our seeds'
/// registration. Anything malformed in an answer makes the whole answer unusable: a half-read list would give
/// this node a different swarm map from everyone else's.
/// </summary>
public sealed class NodeListClient(PeerHttpClient http, NodeKeys keys, NodeOptions node, TimeProvider time)
{
    public const string RegisterMethod = "session_appliance_register";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    // oxend applies "fields" to the result's top level too: height and block_hash must be asked for.
    private static readonly string[] Fields = ["pubkey_ed25519", "pubkey_x25519", "public_ip", "storage_port", "storage_lmq_port", "swarm_id", "funded", "height", "block_hash"];

    public async Task<FetchedNodeList?> FetchAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = "0",
            ["method"] = "get_n_service_nodes",
            ["params"] = new JsonObject { ["active_only"] = false, ["fields"] = new JsonObject(Fields.Select(f => KeyValuePair.Create(f, (JsonNode?)true))) },
        };
        var answer = await PostAsync(baseUrl, request, cancellationToken).ConfigureAwait(false);
        return answer is null ? null : UntrustedJson.Read(answer, a => Parse(a, baseUrl.ToString()), null);
    }

    /// <summary>Tells a seed where this node is, signed with its key; true when the seed listed it.</summary>
    public async Task<bool> RegisterAsync(Uri seed, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds();
        var registration = new Registration(keys.Ed25519Hex, node.AdvertisedIp(), node.HttpsPort, node.OmqPort, timestamp);
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = "0",
            ["method"] = RegisterMethod,
            ["params"] = new JsonObject
            {
                ["pubkey_ed25519"] = registration.Ed25519Hex,
                ["public_ip"] = registration.Ip,
                ["storage_port"] = registration.HttpsPort,
                ["storage_lmq_port"] = registration.OmqPort,
                ["timestamp"] = timestamp,
                ["signature"] = Base64Text.Encode(keys.Sign(registration.SignedText())),
            },
        };
        var answer = await PostAsync(seed, request, cancellationToken).ConfigureAwait(false);
        return answer is not null && UntrustedJson.Read(answer, a => a["result"]!["status"]!.GetValue<string>() == "OK", false);
    }

    /// <summary>What a registering node signs: its key, where it listens and when.</summary>
    public sealed record Registration(string Ed25519Hex, string Ip, int HttpsPort, int OmqPort, long TimestampMs)
    {
        public byte[] SignedText() => Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"session-appliance register {Ed25519Hex} {Ip} {HttpsPort} {OmqPort} {TimestampMs}"));
    }

    /// <summary>
    /// Parses a <c>get_n_service_nodes</c> answer; null when any entry is unusable. oxend also lists nodes that
    /// have not yet sent an uptime proof (no address or ports): with <paramref name="skipIncomplete"/> those are
    /// left out instead, as the reference does.
    /// </summary>
    public static FetchedNodeList? Parse(JsonNode answer, string source, bool skipIncomplete = false)
    {
        try
        {
            var result = answer["result"]!;
            var nodes = new List<ServiceNode>();
            foreach (var state in result["service_node_states"]!.AsArray())
            {
                // Unfunded entries are not nodes yet (spec §5.3).
                if (state!["funded"] is JsonValue funded && !funded.GetValue<bool>())
                {
                    continue;
                }

                var ed25519 = HexText.Decode(state!["pubkey_ed25519"]!.GetValue<string>());
                if (ed25519.Length != Ed25519.PublicKeyLength || !Ed25519.TryToX25519PublicKey(ed25519, out var x25519))
                {
                    return null;
                }

                var ip = state["public_ip"]!.GetValue<string>();
                var port = state["storage_port"]!.GetValue<int>();
                if (!System.Net.IPAddress.TryParse(ip, out var address) || port is < 1 or > 65535 || address.Equals(System.Net.IPAddress.Any))
                {
                    if (skipIncomplete)
                    {
                        continue;
                    }

                    return null;
                }

                var swarm = state["swarm_id"]?.GetValue<ulong>() ?? SwarmSpace.InvalidSwarmId;
                nodes.Add(new ServiceNode(ed25519, x25519, ip, port, state["storage_lmq_port"]?.GetValue<int>() ?? 0, swarm));
            }

            var blockHash = result["block_hash"]?.GetValue<string>() is { } hash && HexText.TryDecode(hash, out var bytes) ? bytes : [];
            return new FetchedNodeList(nodes, result["height"]?.GetValue<long>() ?? 0, blockHash, source);
        }
        catch (Exception error) when (UntrustedJson.IsShapeError(error))
        {
            return null;
        }
    }

    /// <summary>The answer's body when it came back 200; its JSON is read by the caller, defensively.</summary>
    private async Task<byte[]?> PostAsync(Uri baseUrl, JsonObject request, CancellationToken cancellationToken)
    {
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        var answer = await http.PostAsync(new Uri(baseUrl, "json_rpc"), content, null, Timeout, cancellationToken).ConfigureAwait(false);
        return answer.Status == 200 ? answer.Body : null;
    }
}
