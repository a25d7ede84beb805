namespace SessionAppliance.Protocol.Codecs;

/// <summary>z-base-32, used for ".snode" addresses of node keys (spec §3.4 get_swarm).</summary>
public static class Base32z
{
    private const string Alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[(bytes.Length * 8 + 4) / 5];
        int bitBuffer = 0, bitCount = 0, next = 0;
        foreach (var b in bytes)
        {
            bitBuffer = (bitBuffer << 8) | b;
            bitCount += 8;
            while (bitCount >= 5)
            {
                bitCount -= 5;
                chars[next++] = Alphabet[(bitBuffer >> bitCount) & 31];
            }
        }

        if (bitCount > 0)
        {
            chars[next++] = Alphabet[(bitBuffer << (5 - bitCount)) & 31];
        }

        return new string(chars, 0, next);
    }
}
