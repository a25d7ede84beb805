using System.Text;

namespace SessionAppliance.Protocol.Crypto;

/// <summary>
/// Seals a small secret (the node's key, for its backup) under a passphrase: Argon2id derives the key, and
/// XChaCha20-Poly1305 seals the secret with the file's readable header as associated data, so the header cannot
/// be changed without the passphrase noticing.
/// </summary>
public static class PassphraseSeal
{
    public const int SaltLength = 16;
    public const int NonceLength = 24;
    public const int TagLength = 16;
    private const int KeyLength = 32;
    private const int Argon2id13 = 2;

    /// <summary>Derives the sealing key; throws <see cref="InsufficientMemoryException"/> when the memory cannot be had.</summary>
    public static byte[] DeriveKey(string passphrase, ReadOnlySpan<byte> salt, int opsLimit, int memLimitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(salt.Length, SaltLength, nameof(salt));
        var password = Encoding.UTF8.GetBytes(passphrase);
        var key = new byte[KeyLength];
        Libsodium.EnsureInitialised();
        if (Libsodium.PasswordHash(key, KeyLength, password, (ulong)password.Length, salt, (ulong)opsLimit, (nuint)memLimitBytes, Argon2id13) != 0)
        {
            throw new InsufficientMemoryException($"Argon2id could not have the {memLimitBytes / 1048576} MiB it was asked for");
        }

        Array.Clear(password);
        return key;
    }

    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> associatedData)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(nonce.Length, NonceLength, nameof(nonce));
        ArgumentOutOfRangeException.ThrowIfNotEqual(key.Length, KeyLength, nameof(key));
        var sealedSecret = new byte[secret.Length + TagLength];
        Libsodium.EnsureInitialised();
        Libsodium.XChaChaEncryptWithData(sealedSecret, out _, secret, (ulong)secret.Length, associatedData, (ulong)associatedData.Length, IntPtr.Zero, nonce, key);
        return sealedSecret;
    }

    /// <summary>The secret, or null when the key (the passphrase), the header or the sealed bytes are not the ones sealed.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedSecret, ReadOnlySpan<byte> associatedData)
    {
        if (key.Length != KeyLength || nonce.Length != NonceLength || sealedSecret.Length < TagLength)
        {
            return null;
        }

        var secret = new byte[sealedSecret.Length - TagLength];
        Libsodium.EnsureInitialised();
        return Libsodium.XChaChaDecryptWithData(secret, out _, IntPtr.Zero, sealedSecret, (ulong)sealedSecret.Length, associatedData, (ulong)associatedData.Length, nonce, key) == 0
            ? secret
            : null;
    }
}
