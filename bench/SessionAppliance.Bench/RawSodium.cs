using System.Runtime.InteropServices;

namespace SessionAppliance.Bench;

/// <summary>Direct calls into libsodium: the baseline an onion hop is compared with.</summary>
internal static partial class RawSodium
{
    private const string Library = "libsodium";

    [LibraryImport(Library, EntryPoint = "crypto_scalarmult")]
    public static partial int ScalarMult(Span<byte> shared, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> publicKey);

    [LibraryImport(Library, EntryPoint = "crypto_generichash")]
    public static partial int GenericHash(Span<byte> output, nuint outputLength, ReadOnlySpan<byte> input, ulong inputLength, IntPtr key, nuint keyLength);

    [LibraryImport(Library, EntryPoint = "crypto_aead_xchacha20poly1305_ietf_decrypt")]
    public static partial int XChaChaDecrypt(Span<byte> message, out ulong messageLength, IntPtr nsec, ReadOnlySpan<byte> ciphertext, ulong ciphertextLength,
        IntPtr additionalData, ulong additionalDataLength, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key);
}
