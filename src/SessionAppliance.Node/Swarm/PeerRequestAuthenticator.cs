using System.Globalization;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>The receiving side of <see cref="PeerSignature"/>: which listed node sent this, and signing our answer to it.</summary>
public sealed class PeerRequestAuthenticator(INetworkViewSource network, NodeKeys keys, TimeProvider time, Hosting.RequestBodyReader bodies)
{
    /// <summary>The listed node that signed this request, or the reason it is refused (answered 401).</summary>
    public (ServiceNode? Sender, string? Refusal) Authenticate(HttpContext context, ReadOnlySpan<byte> body)
    {
        var headers = context.Request.Headers;
        if (!HexText.TryDecode(headers[PeerSignature.SenderHeader].ToString(), out var sender) || sender.Length != Ed25519.PublicKeyLength)
        {
            return (null, "peer requests must name the sending node's Ed25519 key");
        }

        if (!PeerSignature.TryParseTimestamp(headers[PeerSignature.TimestampHeader], out var timestamp)
            || Math.Abs(time.GetUtcNow().ToUnixTimeMilliseconds() - timestamp) > PeerSignature.Window.TotalMilliseconds)
        {
            return (null, "peer request timestamp missing or more than 60 s off");
        }

        if (network.Current.FindByEd25519(sender) is not { } node)
        {
            return (null, "the sending node is not in this node's list");
        }

        return PeerSignature.Verify(sender, headers[PeerSignature.SignatureHeader].ToString(), context.Request.Path, timestamp, keys.Ed25519.PublicKey, body)
            ? (node, null)
            : (null, "peer request signature verification failed");
    }

    /// <summary>Reads and authenticates a peer request; answers 413, 503 or 401 itself and returns null when it is refused.</summary>
    public async Task<(ReadOnlyMemory<byte> Body, ServiceNode Peer)?> ReadAsync(HttpContext context)
    {
        if (await bodies.ReadAsync(context).ConfigureAwait(false) is not { } body)
        {
            return null;
        }

        var (peer, refusal) = Authenticate(context, body.Span);
        if (peer is null)
        {
            await Hosting.HttpBody.WriteTextAsync(context, 401, refusal!).ConfigureAwait(false);
            return null;
        }

        return (body, peer);
    }

    /// <summary>Writes an answer signed for <paramref name="peer"/>.</summary>
    public async Task AnswerAsync(HttpContext context, ServiceNode peer, int status, string contentType, byte[] answer)
    {
        SignAnswer(context, peer, answer);
        await Hosting.HttpBody.WriteAsync(context, status, contentType, answer).ConfigureAwait(false);
    }

    /// <summary>Signs an answer for <paramref name="peer"/>; call before writing the body.</summary>
    public void SignAnswer(HttpContext context, ServiceNode peer, ReadOnlySpan<byte> body)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        context.Response.Headers[PeerSignature.TimestampHeader] = now.ToString(CultureInfo.InvariantCulture);
        PeerSignature.TryParseTimestamp(context.Request.Headers[PeerSignature.TimestampHeader], out var requestTimestamp);
        var signed = PeerSignature.AnswerPath(context.Request.Path, requestTimestamp);
        context.Response.Headers[PeerSignature.SignatureHeader] = Base64Text.Encode(PeerSignature.Sign(keys, signed, now, peer.Ed25519PublicKey, body));
    }
}
