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
        var body = await HttpBody.ReadAsync(context, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await HttpBody.WriteTextAsync(context, 413, "Request body too large").ConfigureAwait(false);
            return;
        }

        var (peer, refusal) = authenticator.Authenticate(context, body);
        if (peer is null)
        {
            await HttpBody.WriteTextAsync(context, 401, refusal!).ConfigureAwait(false);
            return;
        }

        byte[] answer;
        int status;
        string contentType;
        var (method, account) = Inspect(body);
        if (method is null || !SwarmReplicator.IsRecursive(method))
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

        authenticator.SignAnswer(context, peer, answer);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    private static (string? Method, Protocol.Accounts.AccountId? Account) Inspect(byte[] body)
    {
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
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
