using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// A seed's <c>POST /json_rpc</c>: <c>get_n_service_nodes</c> / <c>get_service_nodes</c> in oxend's shape, the one
/// Session Desktop bootstraps from (spec §8), and registration of our nodes. A node registers only if it answers
/// <c>/ping_test/v1</c> with its key at the address it gives, so the list holds no address a client cannot reach.
/// </summary>
public sealed class SeedEndpoint(SeedRegistry registry, INetworkViewSource network, PeerHttpClient http, NodeKeys keys, TimeProvider time, Microsoft.Extensions.Options.IOptions<Onion.OnionOptions> onion, RequestBodyReader bodies)
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    public async Task HandleAsync(HttpContext context)
    {
        if (await bodies.ReadAsync(context).ConfigureAwait(false) is not { } body)
        {
            return;
        }

        JsonNode? request;
        try
        {
            // Ill-formed UTF-8 inside a string would only throw later, when the string is read.
            request = System.Text.Unicode.Utf8.IsValid(body.Span) ? JsonNode.Parse(body.Span) : null;
        }
        catch (JsonException)
        {
            request = null;
        }

        JsonNode? id = null;
        JsonObject answer;
        try
        {
            id = (request as JsonObject)?["id"]?.DeepClone();
            answer = request is JsonObject && (request["method"] as JsonValue)?.TryGetValue<string>(out var method) == true
                ? method switch
                {
                    "get_n_service_nodes" or "get_service_nodes" => Result(ServiceNodeStates.Build(network.Current, FieldsOf(request["params"]))),
                    NodeListClient.RegisterMethod => await RegisterAsync(request["params"], context.RequestAborted).ConfigureAwait(false),
                    _ => Error(-32601, "Method not found"),
                }
                : Error(-32700, "Parse error");
        }
        catch (Exception error) when (UntrustedJson.IsShapeError(error))
        {
            // e.g. an escaped lone surrogate in a key or value, which only throws when it is read.
            answer = Error(-32700, "Parse error");
        }
        answer["jsonrpc"] = "2.0";
        answer["id"] = id;
        await HttpBody.WriteJsonAsync(context, 200, CanonicalJson.Serialize(answer)).ConfigureAwait(false);
    }

    private async Task<JsonObject> RegisterAsync(JsonNode? parameters, CancellationToken cancellationToken)
    {
        NodeListClient.Registration registration;
        byte[] ed25519, signature;
        try
        {
            registration = new NodeListClient.Registration(
                parameters!["pubkey_ed25519"]!.GetValue<string>(), parameters["public_ip"]!.GetValue<string>(),
                parameters["storage_port"]!.GetValue<int>(), parameters["storage_lmq_port"]!.GetValue<int>(), parameters["timestamp"]!.GetValue<long>());
            ed25519 = HexText.Decode(registration.Ed25519Hex);
            signature = Base64Text.TryDecode(parameters["signature"]!.GetValue<string>(), out var decoded) ? decoded : throw new FormatException("signature is not base64");
        }
        catch (Exception error) when (UntrustedJson.IsShapeError(error))
        {
            return Error(-32602, "Invalid params: pubkey_ed25519, public_ip, storage_port, storage_lmq_port, timestamp and signature are required");
        }

        if (Math.Abs(time.GetUtcNow().ToUnixTimeMilliseconds() - registration.TimestampMs) > PeerSignature.Window.TotalMilliseconds)
        {
            return Error(-32602, "registration timestamp is more than 60 s off");
        }

        if (!Ed25519.Verify(signature, registration.SignedText(), ed25519) || !Ed25519.TryToX25519PublicKey(ed25519, out var x25519))
        {
            return Error(-32602, "registration signature verification failed");
        }

        if (!System.Net.IPAddress.TryParse(registration.Ip, out var address) || registration.HttpsPort is < 1 or > 65535 || registration.OmqPort is < 0 or > 65535)
        {
            return Error(-32602, "registration has no valid public_ip/storage_port");
        }

        // The seed checks the address by connecting to it: never into private networks, except on a test network.
        if (!onion.Value.AllowPrivateProxyTargets && !Onion.PublicAddressPolicy.IsPublic(address))
        {
            return Error(-32602, "public_ip must be a public address");
        }

        var node = new ServiceNode(ed25519, x25519, registration.Ip, registration.HttpsPort, registration.OmqPort, SwarmSpace.InvalidSwarmId);
        if (registration.Ed25519Hex != keys.Ed25519Hex && !await AnswersAsItselfAsync(node, cancellationToken).ConfigureAwait(false))
        {
            return Error(-32603, $"the node does not answer /ping_test/v1 with its key at {registration.Ip}:{registration.HttpsPort}");
        }

        registry.Register(node);
        return Result(new JsonObject { ["status"] = "OK" });
    }

    private async Task<bool> AnswersAsItselfAsync(ServiceNode node, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent([]);
        var answer = await http.PostAsync(node, "/ping_test/v1", content, PingTimeout, cancellationToken).ConfigureAwait(false);
        return answer.Status == 200 && answer.Headers is { } headers
            && headers.TryGetValue(PeerSignature.SnodePubkeyHeader, out var key) && key == Base64Text.Encode(node.LegacyPublicKey);
    }

    private static JsonObject Result(JsonObject result) => new() { ["result"] = result };

    private static JsonObject Error(int code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static HashSet<string>? FieldsOf(JsonNode? parameters) => (parameters as JsonObject)?["fields"] switch
    {
        JsonObject fields => [.. fields.Where(f => f.Value is JsonValue v && v.TryGetValue<bool>(out var on) && on).Select(f => f.Key)],
        JsonArray fields => [.. fields.OfType<JsonValue>().Select(f => f.TryGetValue<string>(out var name) ? name : null).OfType<string>()],
        _ => null,
    };
}
