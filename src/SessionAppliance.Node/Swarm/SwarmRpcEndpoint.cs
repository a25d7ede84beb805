using System.Text;
using System.Text.Json;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Rpc;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// <c>POST /swarm_rpc/v1</c>: a state-changing request forwarded by a swarm peer (spec §5.4). Only listed nodes,
/// proven by their signature, get in; only recursive methods are accepted; the request runs as a client request
/// with the peer time windows and is not forwarded again. The answer is signed for the sending node.
/// </summary>
public sealed class SwarmRpcEndpoint(PeerRequestAuthenticator authenticator, ClientRpcDispatcher dispatcher, INetworkViewSource network)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (await authenticator.ReadAsync(context).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var (body, peer) = request;

        byte[] answer;
        int status;
        string contentType;
        var (method, account) = Inspect(body);
        if (method is null || !dispatcher.IsForwarded(method))
        {
            (status, contentType, answer) = (400, "text/plain", Encoding.UTF8.GetBytes("only state-changing methods are accepted from swarm peers"));
        }
        else if (account is null || !network.Current.SwarmOf(account).Members.Any(m => m.Ed25519Hex == peer.Ed25519Hex))
        {
            // Only a member of the account's swarm forwards for it; any other listed node is just a client.
            (status, contentType, answer) = (403, "text/plain", Encoding.UTF8.GetBytes("the sending node is not a member of this account's swarm"));
        }
        else
        {
            var response = await dispatcher.DispatchBodyAsync(body, fromSwarmPeer: true, context.RequestAborted).ConfigureAwait(false);
            (status, contentType, answer) = (response.Status, response.Json is null ? "text/plain" : "application/json", Encoding.UTF8.GetBytes(response.BodyText()));
        }

        await authenticator.AnswerAsync(context, peer, status, contentType, answer).ConfigureAwait(false);
    }

    private static (string? Method, Protocol.Accounts.AccountId? Account) Inspect(ReadOnlyMemory<byte> body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
            {
                return (null, null);
            }

            return (method.GetString(), root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object ? SwarmReplicator.AccountOf(p) : null);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            return (null, null);
        }
    }
}
