using System.Globalization;
using System.Text;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Clock;

/// <summary>
/// A node's signed time, asked for with a fresh nonce on <c>/ping_test/v1</c> between our nodes: the answer is the
/// node's time in ms and its Ed25519 signature over the nonce and that time, so it can neither be replayed nor
/// forged by anyone on the path. It needs no timestamp from the asker, whose own clock may be the wrong one.
/// </summary>
public static class PeerTime
{
    public const string NonceHeader = "X-SA-Time-Nonce";
    public const string TimeHeader = "X-SA-Time";
    public const string SignatureHeader = "X-SA-Time-Signature";
    public const int NonceBytes = 16;

    public static byte[] Sign(NodeKeys signer, ReadOnlySpan<byte> nonce, long timeMs) => signer.Sign(Message(nonce, timeMs));

    /// <summary>The signed time, or null when the answer is missing, malformed or not signed by <paramref name="signerEd25519"/>.</summary>
    public static long? Verify(ReadOnlySpan<byte> signerEd25519, ReadOnlySpan<byte> nonce, string? timeText, string? signatureBase64) =>
        long.TryParse(timeText, NumberStyles.None, CultureInfo.InvariantCulture, out var timeMs)
        && signatureBase64 is not null && Base64Text.TryDecode(signatureBase64, out var signature)
        && Ed25519.Verify(signature, Message(nonce, timeMs), signerEd25519)
            ? timeMs
            : null;

    private static byte[] Message(ReadOnlySpan<byte> nonce, long timeMs) =>
        Encoding.ASCII.GetBytes("session-appliance time " + HexText.Encode(nonce) + " " + timeMs.ToString(CultureInfo.InvariantCulture));
}
