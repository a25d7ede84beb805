using System.Text.Json;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Rpc;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Onion;
using SessionAppliance.Protocol.Rpc;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Fuzz;

/// <summary>The fuzz targets: what a client, a relay, a seed or oxend, and a peer can send this node.</summary>
internal static class Targets
{
    public static IReadOnlyList<FuzzTarget> All(Lazy<ClientRpcDispatcher> dispatcher) =>
    [
        new("rpc", "a /storage_rpc/v1 body: JSON, then every method's parameter parsing (the part that runs before any state is touched)", body => Rpc(dispatcher.Value, body)),
        new("onion", "an /onion_req/v2 body and a decrypted layer: length framing, entry metadata and control JSON", Onion),
        new("node-list", "a get_n_service_nodes answer from a seed or oxend", NodeList),
        new("peer-answer", "a swarm peer's answer to a forwarded request, and a /swarm_push/v1 batch", PeerAnswer),
    ];

    /// <summary>The dispatcher's own parse, then the method's Prepare, as ClientRpcDispatcher.DispatchBodyAsync runs them.</summary>
    private static void Rpc(ClientRpcDispatcher dispatcher, ReadOnlyMemory<byte> body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object
                || !dispatcher.Knows(method.GetString()!))
            {
                return;
            }

            try
            {
                dispatcher.Prepare(method.GetString()!, parameters, new RpcContext(dispatcher));
            }
            catch (RpcException)
            {
                // A protocol error: answered as the reference does.
            }
            catch (InvalidOperationException)
            {
                // The dispatcher answers an unreadable escaped string as "invalid json" (ClientRpcDispatcher).
            }
        }
    }

    private static void Onion(ReadOnlyMemory<byte> body)
    {
        OnionPayload.TryParse(body, out _, out _);
        OnionInstruction.TryParse(body, out _, out _);
    }

    private static void NodeList(ReadOnlyMemory<byte> body) =>
        UntrustedJson.Read(body.ToArray(), answer => NodeListClient.Parse(answer, "fuzz"), null);

    private static readonly ServiceNode Peer = new(new byte[32], new byte[32], "127.0.0.1", 1, 0, 0);

    private static void PeerAnswer(ReadOnlyMemory<byte> body)
    {
        var status = body.Length > 0 ? 200 + (body.Span[0] % 4 * 100) : 200;
        SwarmReplicator.EntryOf(Peer, new PeerChannel.Reply(status, body.ToArray(), Authentic: body.Length % 2 == 0));
        MessagePushBatch.Decode(body.Span);
    }
}
