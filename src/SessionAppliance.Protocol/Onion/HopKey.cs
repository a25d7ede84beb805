using System.Security.Cryptography;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Protocol.Onion;

/// <summary>
/// The symmetric key of one hop (spec §4.2), derived from the X25519 shared secret S. The same key
/// encrypts the reply, so a hop does exactly one X25519 per request.
/// </summary>
public readonly struct HopKey
{
    private static readonly byte[] GcmSalt = "LOKI"u8.ToArray();

    private HopKey(OnionCipher cipher, byte[] key)
    {
        Cipher = cipher;
        Key = key;
    }

    public OnionCipher Cipher { get; }

    public byte[] Key { get; }

    /// <summary>
    /// AES-GCM: HMAC-SHA256(key "LOKI", S). XChaCha20: BLAKE2b-256(S ‖ client pub ‖ server pub).
    /// AES-CBC: S itself.
    /// </summary>
    public static HopKey Derive(OnionCipher cipher, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> clientPublic, ReadOnlySpan<byte> serverPublic) =>
        cipher switch
        {
            OnionCipher.AesGcm => new HopKey(cipher, HMACSHA256.HashData(GcmSalt, sharedSecret)),
            OnionCipher.XChaCha20Poly1305 => new HopKey(cipher, Blake2b.Hash256([.. sharedSecret, .. clientPublic, .. serverPublic])),
            _ => new HopKey(cipher, sharedSecret.ToArray()),
        };
}
