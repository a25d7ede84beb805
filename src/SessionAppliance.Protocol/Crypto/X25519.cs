using System.Security.Cryptography;

namespace SessionAppliance.Protocol.Crypto;

/// <summary>X25519 key agreement through libsodium (spec §4: onion hop keys; CurveZMQ keys).</summary>
public static class X25519
{
    public const int KeyLength = 32;

    /// <summary>A new random key pair.</summary>
    public static (byte[] PublicKey, byte[] SecretKey) Generate()
    {
        var secret = RandomNumberGenerator.GetBytes(KeyLength);
        return (PublicKeyOf(secret), secret);
    }

    public static byte[] PublicKeyOf(ReadOnlySpan<byte> secretKey)
    {
        RequireLength(secretKey, nameof(secretKey));
        Libsodium.EnsureInitialised();
        var publicKey = new byte[KeyLength];
        Libsodium.ScalarMultBase(publicKey, secretKey);
        return publicKey;
    }

    /// <summary>The shared secret; false for a key of the wrong length or of low order (an all-zero result).</summary>
    public static bool TrySharedSecret(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> publicKey, out byte[] shared)
    {
        shared = [];
        if (secretKey.Length != KeyLength || publicKey.Length != KeyLength)
        {
            return false;
        }

        Libsodium.EnsureInitialised();
        var result = new byte[KeyLength];
        if (Libsodium.ScalarMult(result, secretKey, publicKey) != 0)
        {
            return false;
        }

        shared = result;
        return true;
    }

    private static void RequireLength(ReadOnlySpan<byte> key, string name)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException("an X25519 key is 32 bytes", name);
        }
    }
}
