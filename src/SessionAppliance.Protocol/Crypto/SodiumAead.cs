using System.Runtime.InteropServices;

namespace SessionAppliance.Protocol.Crypto;

/// <summary>
/// XChaCha20-Poly1305-IETF straight from libsodium (the library Sodium.Core ships and loads), for in-place
/// decryption: libsodium allows the message and ciphertext buffers to be the same.
/// </summary>
internal static partial class SodiumAead
{
    public const int KeyLength = 32;
    public const int NonceLength = 24;
    public const int TagLength = 16;

    /// <summary>Decrypts <paramref name="ciphertextAndTag"/> into its own first bytes; false if it does not authenticate.</summary>
    public static bool TryDecryptInPlace(Span<byte> ciphertextAndTag, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        if (ciphertextAndTag.Length < TagLength || nonce.Length != NonceLength || key.Length != KeyLength)
        {
            return false;
        }

        Sodium.SodiumCore.Init();
        return Decrypt(ciphertextAndTag, out _, IntPtr.Zero, ciphertextAndTag, (ulong)ciphertextAndTag.Length, IntPtr.Zero, 0, nonce, key) == 0;
    }

    [LibraryImport("libsodium", EntryPoint = "crypto_aead_xchacha20poly1305_ietf_decrypt")]
    private static partial int Decrypt(Span<byte> message, out ulong messageLength, IntPtr nsec, ReadOnlySpan<byte> ciphertext, ulong ciphertextLength,
        IntPtr additionalData, ulong additionalDataLength, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key);
}
