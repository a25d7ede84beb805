using System.Security.Cryptography;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Protocol.Onion;

/// <summary>
/// Encrypts and decrypts one onion layer with a <see cref="HopKey"/> (spec §4.2). Blobs are
/// nonce ‖ ciphertext ‖ tag with no associated data: 12+16 bytes of overhead for AES-GCM, 24+16 for
/// XChaCha20-Poly1305; AES-CBC is IV(16) ‖ PKCS#7 ciphertext.
/// </summary>
public static class HopCrypto
{
    public const int GcmNonceLength = 12;
    public const int GcmTagLength = 16;
    public const int XChaChaNonceLength = 24;
    public const int XChaChaTagLength = 16;
    public const int CbcIvLength = 16;

    public static byte[] Encrypt(HopKey key, ReadOnlySpan<byte> plaintext) => key.Cipher switch
    {
        OnionCipher.AesGcm => EncryptGcm(key.Key, plaintext),
        OnionCipher.XChaCha20Poly1305 => EncryptXChaCha(key.Key, plaintext),
        _ => EncryptCbc(key.Key, plaintext),
    };

    /// <summary>The plaintext, or null when the blob is too short or fails authentication.</summary>
    public static byte[]? Decrypt(HopKey key, ReadOnlySpan<byte> blob) => key.Cipher switch
    {
        OnionCipher.AesGcm => DecryptGcm(key.Key, blob),
        OnionCipher.XChaCha20Poly1305 => DecryptXChaCha(key.Key, blob),
        _ => DecryptCbc(key.Key, blob),
    };

    /// <summary>
    /// Decrypts inside <paramref name="blob"/> (AES-GCM and XChaCha20 allow exact in-place decryption) and
    /// returns where the plaintext lies in it, or null when it does not authenticate. AES-CBC falls back to a copy.
    /// </summary>
    public static Range? DecryptInPlace(HopKey key, Span<byte> blob)
    {
        switch (key.Cipher)
        {
            case OnionCipher.AesGcm:
                if (blob.Length < GcmNonceLength + GcmTagLength)
                {
                    return null;
                }

                var gcmText = blob[GcmNonceLength..^GcmTagLength];
                using (var aes = new AesGcm(key.Key, GcmTagLength))
                {
                    try
                    {
                        aes.Decrypt(blob[..GcmNonceLength], gcmText, blob[^GcmTagLength..], gcmText);
                    }
                    catch (AuthenticationTagMismatchException)
                    {
                        return null;
                    }
                }

                return GcmNonceLength..(blob.Length - GcmTagLength);
            case OnionCipher.XChaCha20Poly1305:
                return blob.Length >= XChaChaNonceLength + XChaChaTagLength
                    && TryDecryptXChaChaInPlace(blob[XChaChaNonceLength..], blob[..XChaChaNonceLength], key.Key)
                    ? XChaChaNonceLength..(blob.Length - XChaChaTagLength)
                    : null;
            default:
                if (DecryptCbc(key.Key, blob) is not { } plaintext)
                {
                    return null;
                }

                plaintext.CopyTo(blob);
                return 0..plaintext.Length;
        }
    }

    private static byte[] EncryptGcm(byte[] key, ReadOnlySpan<byte> plaintext)
    {
        var blob = new byte[GcmNonceLength + plaintext.Length + GcmTagLength];
        var nonce = blob.AsSpan(0, GcmNonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, GcmTagLength);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(GcmNonceLength, plaintext.Length), blob.AsSpan(GcmNonceLength + plaintext.Length));
        return blob;
    }

    private static byte[]? DecryptGcm(byte[] key, ReadOnlySpan<byte> blob)
    {
        if (blob.Length < GcmNonceLength + GcmTagLength)
        {
            return null;
        }

        var plaintext = new byte[blob.Length - GcmNonceLength - GcmTagLength];
        using var aes = new AesGcm(key, GcmTagLength);
        try
        {
            aes.Decrypt(blob[..GcmNonceLength], blob.Slice(GcmNonceLength, plaintext.Length), blob[^GcmTagLength..], plaintext);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] EncryptXChaCha(byte[] key, ReadOnlySpan<byte> plaintext)
    {
        var blob = new byte[XChaChaNonceLength + plaintext.Length + XChaChaTagLength];
        RandomNumberGenerator.Fill(blob.AsSpan(0, XChaChaNonceLength));
        Libsodium.EnsureInitialised();
        Libsodium.XChaChaEncrypt(blob.AsSpan(XChaChaNonceLength), out _, plaintext, (ulong)plaintext.Length, IntPtr.Zero, 0, IntPtr.Zero, blob.AsSpan(0, XChaChaNonceLength), key);
        return blob;
    }

    /// <summary>Decrypts <paramref name="ciphertextAndTag"/> into its own first bytes; false if it does not authenticate.</summary>
    private static bool TryDecryptXChaChaInPlace(Span<byte> ciphertextAndTag, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        if (ciphertextAndTag.Length < XChaChaTagLength || nonce.Length != XChaChaNonceLength || key.Length != 32)
        {
            return false;
        }

        Libsodium.EnsureInitialised();
        return Libsodium.XChaChaDecrypt(ciphertextAndTag, out _, IntPtr.Zero, ciphertextAndTag, (ulong)ciphertextAndTag.Length, IntPtr.Zero, 0, nonce, key) == 0;
    }

    private static byte[]? DecryptXChaCha(byte[] key, ReadOnlySpan<byte> blob)
    {
        if (blob.Length < XChaChaNonceLength + XChaChaTagLength)
        {
            return null;
        }

        var copy = blob[XChaChaNonceLength..].ToArray();
        return TryDecryptXChaChaInPlace(copy, blob[..XChaChaNonceLength], key) ? copy[..^XChaChaTagLength] : null;
    }

    private static byte[] EncryptCbc(byte[] key, ReadOnlySpan<byte> plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var iv = RandomNumberGenerator.GetBytes(CbcIvLength);
        return [.. iv, .. aes.EncryptCbc(plaintext, iv)];
    }

    private static byte[]? DecryptCbc(byte[] key, ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 2 * CbcIvLength || (blob.Length - CbcIvLength) % 16 != 0)
        {
            return null;
        }

        using var aes = Aes.Create();
        aes.Key = key;
        try
        {
            return aes.DecryptCbc(blob[CbcIvLength..], blob[..CbcIvLength]);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
