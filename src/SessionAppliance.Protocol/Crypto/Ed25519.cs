using System.Security.Cryptography;
using Sodium;

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

        var pair = PublicKeyAuth.GenerateKeyPair(seed.ToArray());
        return new Ed25519KeyPair(pair.PublicKey, pair.PrivateKey);
    }

    public static Ed25519KeyPair Generate() => FromSeed(SodiumCore.GetRandomBytes(SeedLength));

    public static byte[] Sign(ReadOnlySpan<byte> message, Ed25519KeyPair keys) =>
        PublicKeyAuth.SignDetached(message.ToArray(), keys.SecretKey);

    /// <summary>Verifies a detached signature; any wrong length is simply "not valid".</summary>
    public static bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey)
    {
        if (signature.Length != SignatureLength || publicKey.Length != PublicKeyLength)
        {
            return false;
        }

        try
        {
            return PublicKeyAuth.VerifyDetached(signature.ToArray(), message.ToArray(), publicKey.ToArray());
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The birational X25519 image of an Ed25519 public key; false for keys that are not valid points.</summary>
    public static bool TryToX25519PublicKey(ReadOnlySpan<byte> ed25519PublicKey, out byte[] x25519PublicKey)
    {
        x25519PublicKey = [];
        if (ed25519PublicKey.Length != PublicKeyLength)
        {
            return false;
        }

        try
        {
            x25519PublicKey = PublicKeyAuth.ConvertEd25519PublicKeyToCurve25519PublicKey(ed25519PublicKey.ToArray());
            return x25519PublicKey.Length == 32;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    public static byte[] ToX25519SecretKey(ReadOnlySpan<byte> ed25519SecretKey) =>
        PublicKeyAuth.ConvertEd25519SecretKeyToCurve25519SecretKey(ed25519SecretKey.ToArray());
}
