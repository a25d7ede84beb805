using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Protocol.Onion;

/// <summary>
/// Derives hop keys on the node side: one X25519 with the node's secret per request. It counts the X25519
/// operations it performs, so a test and the benchmark can show there is exactly one per hop.
/// </summary>
public sealed class HopKeyDeriver(byte[] x25519SecretKey, byte[] x25519PublicKey)
{
    private long _scalarMultiplications;

    public long ScalarMultiplications => Interlocked.Read(ref _scalarMultiplications);

    /// <summary>The hop key for a layer from <paramref name="ephemeralPublic"/>; null when the key is invalid.</summary>
    public HopKey? Derive(OnionCipher cipher, ReadOnlySpan<byte> ephemeralPublic)
    {
        if (ephemeralPublic.Length != X25519.KeyLength)
        {
            return null;
        }

        // A low-order key gives an all-zero secret; the reference refuses it too ("Shared key derivation failed").
        Interlocked.Increment(ref _scalarMultiplications);
        return X25519.TrySharedSecret(x25519SecretKey, ephemeralPublic, out var shared)
            ? HopKey.Derive(cipher, shared, ephemeralPublic, x25519PublicKey)
            : null;
    }
}
