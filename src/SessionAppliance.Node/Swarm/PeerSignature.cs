using System.Globalization;
using System.Text;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// How nodes prove who they are to each other over HTTPS (certificates are never checked, spec §7): the sender
/// signs the path, a millisecond timestamp, the receiver's Ed25519 key and the body with its own Ed25519 key; the
/// receiver answers signed the same way. A client has no listed node key, so it cannot pose as a peer, and a
/// request signed for one node is useless at another.
/// </summary>
public static class PeerSignature
{
    /// <summary>The header of <c>/ping_test/v1</c> answers that names the node (base64 of its key).</summary>
    public const string SnodePubkeyHeader = "X-Oxen-Snode-Pubkey";

    public const string SenderHeader = "X-SA-Node";
    public const string TimestampHeader = "X-SA-Timestamp";
    public const string SignatureHeader = "X-SA-Signature";

    /// <summary>Peer requests older or newer than this are refused, as client requests are (spec §3.3).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    public static byte[] Sign(NodeKeys signer, string path, long timestampMs, ReadOnlySpan<byte> audienceEd25519, ReadOnlySpan<byte> body) =>
        signer.Sign(Message(path, timestampMs, audienceEd25519, body));

    public static bool Verify(ReadOnlySpan<byte> signerEd25519, string signatureBase64, string path, long timestampMs, ReadOnlySpan<byte> audienceEd25519, ReadOnlySpan<byte> body) =>
        Base64Text.TryDecode(signatureBase64, out var signature) && Ed25519.Verify(signature, Message(path, timestampMs, audienceEd25519, body), signerEd25519);

    /// <summary>What an answer is signed over in place of the path: the path and the request's timestamp.</summary>
    public static string AnswerPath(string path, long requestTimestampMs) =>
        path + " answer-to " + requestTimestampMs.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseTimestamp(string? text, out long timestampMs) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out timestampMs);

    private static byte[] Message(string path, long timestampMs, ReadOnlySpan<byte> audienceEd25519, ReadOnlySpan<byte> body)
    {
        var head = Encoding.ASCII.GetBytes($"session-appliance peer {path} {timestampMs.ToString(CultureInfo.InvariantCulture)} {HexText.Encode(audienceEd25519)} ");
        var message = new byte[head.Length + body.Length];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        return message;
    }
}
