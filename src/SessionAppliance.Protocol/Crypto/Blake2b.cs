using Sodium;

namespace SessionAppliance.Protocol.Crypto;

/// <summary>Unkeyed BLAKE2b as libsodium's crypto_generichash.</summary>
public static class Blake2b
{
    public static byte[] Hash256(ReadOnlySpan<byte> data) => GenericHash.Hash(data.ToArray(), (byte[]?)null, 32);
}
