using System.Runtime.InteropServices;

namespace SessionAppliance.Protocol.Crypto;

/// <summary>
/// The libsodium functions the protocol needs, bound directly (the native library comes with the Sodium.Core
/// package). Not through Sodium.Core's API: its first call marshals a delegate to native code
/// (<c>sodium_set_misuse_handler</c>), which under Native AOT needs memory that is writable and then executable,
/// and the services run with systemd's <c>MemoryDenyWriteExecute=yes</c>. These calls pass only spans.
/// </summary>
internal static partial class Libsodium
{
    private const string Library = "libsodium";

    // sodium_init picks the fastest implementations; it is safe to call more than once (1 = already done).
    private static readonly int Initialised = sodium_init() >= 0 ? 1 : throw new InvalidOperationException("libsodium could not be initialised (sodium_init failed)");

    /// <summary>Makes sure sodium_init has run before the first call (a static field's initialiser runs once).</summary>
    public static void EnsureInitialised() => _ = Initialised;

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library, EntryPoint = "crypto_sign_seed_keypair")]
    public static partial int SignSeedKeypair(Span<byte> publicKey, Span<byte> secretKey, ReadOnlySpan<byte> seed);

    [LibraryImport(Library, EntryPoint = "crypto_sign_detached")]
    public static partial int SignDetached(Span<byte> signature, out ulong signatureLength, ReadOnlySpan<byte> message, ulong messageLength, ReadOnlySpan<byte> secretKey);

    [LibraryImport(Library, EntryPoint = "crypto_sign_verify_detached")]
    public static partial int VerifyDetached(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ulong messageLength, ReadOnlySpan<byte> publicKey);

    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_pk_to_curve25519")]
    public static partial int Ed25519PublicKeyToCurve25519(Span<byte> x25519PublicKey, ReadOnlySpan<byte> ed25519PublicKey);

    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_sk_to_curve25519")]
    public static partial int Ed25519SecretKeyToCurve25519(Span<byte> x25519SecretKey, ReadOnlySpan<byte> ed25519SecretKey);

    /// <summary>X25519; -1 when the result is all zeros (a low-order public key).</summary>
    [LibraryImport(Library, EntryPoint = "crypto_scalarmult")]
    public static partial int ScalarMult(Span<byte> shared, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> publicKey);

    [LibraryImport(Library, EntryPoint = "crypto_scalarmult_base")]
    public static partial int ScalarMultBase(Span<byte> publicKey, ReadOnlySpan<byte> secretKey);

    [LibraryImport(Library, EntryPoint = "crypto_generichash")]
    public static partial int GenericHash(Span<byte> hash, nuint hashLength, ReadOnlySpan<byte> input, ulong inputLength, IntPtr key, nuint keyLength);

    [LibraryImport(Library, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_encrypt")]
    public static partial int XChaChaEncrypt(Span<byte> ciphertext, out ulong ciphertextLength, ReadOnlySpan<byte> message, ulong messageLength,
        IntPtr additionalData, ulong additionalDataLength, IntPtr nsec, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key);

    /// <summary>The message may be written over the ciphertext (libsodium allows the two buffers to be the same).</summary>
    [LibraryImport(Library, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_decrypt")]
    public static partial int XChaChaDecrypt(Span<byte> message, out ulong messageLength, IntPtr nsec, ReadOnlySpan<byte> ciphertext, ulong ciphertextLength,
        IntPtr additionalData, ulong additionalDataLength, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key);

    [LibraryImport(Library, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_encrypt")]
    public static partial int XChaChaEncryptWithData(Span<byte> ciphertext, out ulong ciphertextLength, ReadOnlySpan<byte> message, ulong messageLength,
        ReadOnlySpan<byte> additionalData, ulong additionalDataLength, IntPtr nsec, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key);

    [LibraryImport(Library, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_decrypt")]
    public static partial int XChaChaDecryptWithData(Span<byte> message, out ulong messageLength, IntPtr nsec, ReadOnlySpan<byte> ciphertext, ulong ciphertextLength,
        ReadOnlySpan<byte> additionalData, ulong additionalDataLength, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key);

    /// <summary>Argon2id (algorithm 2, <c>crypto_pwhash_ALG_ARGON2ID13</c>); -1 when out of memory.</summary>
    [LibraryImport(Library, EntryPoint = "crypto_pwhash")]
    public static partial int PasswordHash(Span<byte> key, ulong keyLength, ReadOnlySpan<byte> password, ulong passwordLength, ReadOnlySpan<byte> salt,
        ulong opsLimit, nuint memLimit, int algorithm);
}
