namespace SessionAppliance.Protocol.Codecs;

/// <summary>Base64 as the protocol uses it: standard alphabet, padding optional on input.</summary>
public static class Base64Text
{
    /// <summary>Encodes without '=' padding (message hashes, spec §3.4 store).</summary>
    public static string EncodeUnpadded(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    /// <summary>Decodes standard base64 with or without padding; false on any other input.</summary>
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        var remainder = text.Length % 4;
        if (remainder == 1 || (remainder != 0 && text.Contains('=', StringComparison.Ordinal)))
        {
            // '=' may only pad a length that is a multiple of 4, as the reference's decoder requires.
            return false;
        }

        var padded = remainder == 0 ? text : text + new string('=', 4 - remainder);
        var buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out var written) || padded.AsSpan().ContainsAny(" \t\r\n"))
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    /// <summary>True when <paramref name="text"/> is the base64 form of exactly <paramref name="length"/> bytes.</summary>
    /// <remarks>Only the two exact lengths are accepted: unpadded (86 for 64 bytes) or fully padded (88).</remarks>
    public static bool IsEncodingOf(string text, int length, out byte[] bytes)
    {
        bytes = [];
        var unpadded = (length * 4 + 2) / 3;
        var padded = (length + 2) / 3 * 4;
        return (text.Length == unpadded || text.Length == padded) && TryDecode(text, out bytes) && bytes.Length == length;
    }
}
