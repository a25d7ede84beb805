namespace SessionAppliance.Protocol.Crypto;

/// <summary>Unkeyed BLAKE2b as libsodium's crypto_generichash.</summary>
public static class Blake2b
{
    public static byte[] Hash256(ReadOnlySpan<byte> data)
    {
        Libsodium.EnsureInitialised();
        var hash = new byte[32];
        Libsodium.GenericHash(hash, (nuint)hash.Length, data, (ulong)data.Length, IntPtr.Zero, 0);
        return hash;
    }
}
