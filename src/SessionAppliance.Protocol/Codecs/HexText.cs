namespace SessionAppliance.Protocol.Codecs;

/// <summary>Hex as the protocol uses it: accepted in either case, always written lower-case (spec §3.1).</summary>
public static class HexText
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 2 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 2];
        if (Convert.FromHexString(text, buffer, out _, out var written) != System.Buffers.OperationStatus.Done || written != buffer.Length)
        {
            return false;
        }

        bytes = buffer;
        return true;
    }

    public static byte[] Decode(string text) =>
        TryDecode(text, out var bytes) ? bytes : throw new FormatException("not hex");
}
