namespace SessionAppliance.Protocol.Codecs;

/// <summary>A 32-byte key given as hex, checked as the reference's key loader checks it, with its texts.</summary>
public static class HexKey
{
    public const int Length = 32;

    /// <summary>Null and the key when <paramref name="hex"/> is 64 hex digits; otherwise the reference's complaint.</summary>
    public static string? Describe(string hex, out byte[] key)
    {
        // oxenc's is_hex wants an even number of hex digits; the length is checked after that.
        if (hex.Length % 2 != 0 || !HexText.TryDecode(hex, out key))
        {
            key = [];
            return "Hex key data is invalid: data is not hex";
        }

        // The reference's text says 32 (bytes) where it means 64 hex digits.
        return key.Length == Length ? null : $"Hex key data is invalid: expected {Length} hex digits, received {hex.Length}";
    }
}
