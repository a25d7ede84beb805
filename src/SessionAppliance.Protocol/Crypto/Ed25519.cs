using System.Security.Cryptography;

namespace SessionAppliance.Protocol.Crypto;

/// <summary>Ed25519 signatures and the Ed25519→X25519 conversion, through libsodium (spec §3.3, §7).</summary>
public static class Ed25519
{
    public const int PublicKeyLength = 32;
    public const int SecretKeyLength = 64;
    public const int SeedLength = 32;
    public const int SignatureLength = 64;

    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        }

        Libsodium.EnsureInitialised();
        var publicKey = new byte[PublicKeyLength];
        var secretKey = new byte[SecretKeyLength];
        Libsodium.SignSeedKeypair(publicKey, secretKey, seed);
        return new Ed25519KeyPair(publicKey, secretKey);
    }

    public static Ed25519KeyPair Generate() => FromSeed(RandomNumberGenerator.GetBytes(SeedLength));

    public static byte[] Sign(ReadOnlySpan<byte> message, Ed25519KeyPair keys)
    {
        if (keys.SecretKey.Length != SecretKeyLength)
        {
            throw new ArgumentException("an Ed25519 secret key is 64 bytes", nameof(keys));
        }

        Libsodium.EnsureInitialised();
        var signature = new byte[SignatureLength];
        Libsodium.SignDetached(signature, out _, message, (ulong)message.Length, keys.SecretKey);
        return signature;
    }

    /// <summary>Verifies a detached signature; any wrong length is simply "not valid".</summary>
    public static bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey)
    {
        if (signature.Length != SignatureLength || publicKey.Length != PublicKeyLength)
        {
            return false;
        }

        Libsodium.EnsureInitialised();
        return Libsodium.VerifyDetached(signature, message, (ulong)message.Length, publicKey) == 0;
    }

    /// <summary>The birational X25519 image of an Ed25519 public key; false for keys that are not valid points.</summary>
    public static bool TryToX25519PublicKey(ReadOnlySpan<byte> ed25519PublicKey, out byte[] x25519PublicKey)
    {
        x25519PublicKey = [];
        if (ed25519PublicKey.Length != PublicKeyLength)
        {
            return false;
        }

        Libsodium.EnsureInitialised();
        var converted = new byte[X25519.KeyLength];
        if (Libsodium.Ed25519PublicKeyToCurve25519(converted, ed25519PublicKey) != 0)
        {
            return false;
        }

        x25519PublicKey = converted;
        return true;
    }

    public static byte[] ToX25519SecretKey(ReadOnlySpan<byte> ed25519SecretKey)
    {
        if (ed25519SecretKey.Length != SecretKeyLength)
        {
            throw new ArgumentException("an Ed25519 secret key is 64 bytes", nameof(ed25519SecretKey));
        }

        Libsodium.EnsureInitialised();
        var secret = new byte[X25519.KeyLength];
        Libsodium.Ed25519SecretKeyToCurve25519(secret, ed25519SecretKey);
        return secret;
    }
}
