using System.Text;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// The tested side of peer tests (spec §5.6): <c>/ping_test/v1</c> for anyone (a signed test from a listed node
/// is answered signed and counts as being reached), and <c>/swarm_test/v1</c>, where a listed node asks for a
/// message our swarm should hold.
/// </summary>
public sealed class PeerTestEndpoints(INetworkViewSource network, PeerRequestAuthenticator authenticator, ReachabilityMonitor reachability, IMessageStore store,
    RequestBodyReader bodies, Clock.ClockTrust clock, Protocol.Crypto.NodeKeys keys, TimeProvider time)
{
    public async Task PingAsync(HttpContext context)
    {
        context.Response.Headers[PeerSignature.SnodePubkeyHeader] = Base64Text.Encode(network.Current.Self.LegacyPublicKey);
        AnswerTime(context);
        if (context.Request.Headers.ContainsKey(PeerSignature.SenderHeader))
        {
            if (await bodies.ReadAsync(context).ConfigureAwait(false) is not { } body)
            {
                return; // refused (413 or 503), answered already
            }

            if (authenticator.Authenticate(context, body.Span).Sender is { } peer)
            {
                reachability.ReachedByPeer();
                authenticator.SignAnswer(context, peer, []);
            }
        }

        await HttpBody.WriteTextAsync(context, 200, "").ConfigureAwait(false);
    }

    /// <summary>Signs our time for a peer that asks with a nonce, but only while our own clock (not our peers') is trusted.</summary>
    private void AnswerTime(HttpContext context)
    {
        if (clock.Vouches && HexText.TryDecode(context.Request.Headers[Clock.PeerTime.NonceHeader].ToString(), out var nonce)
            && nonce.Length == Clock.PeerTime.NonceBytes)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            context.Response.Headers[Clock.PeerTime.TimeHeader] = now.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers[Clock.PeerTime.SignatureHeader] = Base64Text.Encode(Clock.PeerTime.Sign(keys, nonce, now));
        }
    }

    public async Task StorageTestAsync(HttpContext context)
    {
        if (await authenticator.ReadAsync(context).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var (body, peer) = request;

        reachability.ReachedByPeer();
        var (status, answer) = Find(body, peer);
        await authenticator.AnswerAsync(context, peer, status, "application/json", Encoding.UTF8.GetBytes(answer)).ConfigureAwait(false);
    }

    private (int Status, string Answer) Find(ReadOnlyMemory<byte> body, Protocol.Swarm.ServiceNode peer)
    {
        try
        {
            var request = JsonNode.Parse(body.Span)!;
            var owner = AccountId.Parse(request["pubkey"]!.GetValue<string>());
            var hash = request["hash"]!.GetValue<string>();
            if (!network.Current.SwarmOf(owner).Members.Any(m => m.Ed25519Hex == peer.Ed25519Hex))
            {
                // Only the account's own swarm may test for its messages; anyone else would be reading them.
                return (403, """{"error":"the testing node is not a member of this account's swarm"}""");
            }

            return store.MessagesOf(owner).FirstOrDefault(m => m.Hash == hash) is { } message
                ? (200, new JsonObject { ["data"] = Convert.ToBase64String(message.Data) }.ToJsonString())
                : (404, """{"error":"no such message"}""");
        }
        catch (Exception error) when (UntrustedJson.IsShapeError(error))
        {
            return (400, """{"error":"expected {\"pubkey\",\"hash\"}"}""");
        }
        catch (StoreUnavailableException error)
        {
            return (503, new JsonObject { ["error"] = error.Message }.ToJsonString());
        }
    }
}
