using System.Globalization;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>Signed requests to other nodes and the check that the answer is signed by the node we meant to reach.</summary>
public sealed class PeerChannel(PeerHttpClient http, NodeKeys keys, TimeProvider time)
{
    /// <param name="Authentic">The answer carries a valid signature of the addressed node's key.</param>
    public sealed record Reply(int Status, byte[] Body, bool Authentic);

    public async Task<Reply> PostAsync(ServiceNode peer, string path, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var headers = new Dictionary<string, string>
        {
            [PeerSignature.SenderHeader] = keys.Ed25519Hex,
            [PeerSignature.TimestampHeader] = now.ToString(CultureInfo.InvariantCulture),
            [PeerSignature.SignatureHeader] = Base64Text.Encode(PeerSignature.Sign(keys, path, now, peer.Ed25519PublicKey, body)),
        };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var answer = await http.PostAsync(PeerHttpClient.UriOf(peer, path), content, headers, timeout, cancellationToken).ConfigureAwait(false);
        // The answer must be fresh and signed for this very request, so an old signed answer cannot be replayed.
        var authentic = answer.Headers is { } signed
            && signed.TryGetValue(PeerSignature.TimestampHeader, out var stamp) && PeerSignature.TryParseTimestamp(stamp, out var answeredAt)
            && Math.Abs(answeredAt - now) <= PeerSignature.Window.TotalMilliseconds
            && signed.TryGetValue(PeerSignature.SignatureHeader, out var signature)
            && PeerSignature.Verify(peer.Ed25519PublicKey, signature, PeerSignature.AnswerPath(path, now), answeredAt, keys.Ed25519.PublicKey, answer.Body);
        return new Reply(answer.Status, answer.Body, authentic);
    }
}
