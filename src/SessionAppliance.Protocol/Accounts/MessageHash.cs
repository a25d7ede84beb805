using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Accounts;

/// <summary>Message hash of spec §3.4 store: b64nopad(BLAKE2b-256(prefix ‖ key ‖ ns-text ‖ data)), 43 chars.</summary>
public static class MessageHash
{
    public const int TextLength = 43;

    public static string Compute(AccountId owner, int ns, ReadOnlySpan<byte> data)
    {
        var nsText = Namespaces.SignatureText(ns);
        var input = new byte[33 + nsText.Length + data.Length];
        owner.Bytes.CopyTo(input);
        System.Text.Encoding.ASCII.GetBytes(nsText, input.AsSpan(33));
        data.CopyTo(input.AsSpan(33 + nsText.Length));
        return Base64Text.EncodeUnpadded(Blake2b.Hash256(input));
    }

    /// <summary>A well-formed hash: exactly 43 base64 characters (spec §3.1).</summary>
    public static bool IsWellFormed(string text) =>
        text.Length == TextLength && Base64Text.TryDecode(text, out _) && !text.Contains('=', StringComparison.Ordinal);
}
