namespace SessionAppliance.Protocol.Onion;

/// <summary>The per-hop ciphers of spec §4.1; AES-GCM is the default when enc_type is absent.</summary>
public enum OnionCipher
{
    AesGcm,
    XChaCha20Poly1305,

    /// <summary>Legacy; accepted from clients but never chosen by ours.</summary>
    AesCbc,
}

/// <summary>Names of the ciphers on the wire.</summary>
public static class OnionCipherNames
{
    public static bool TryParse(string? name, out OnionCipher cipher)
    {
        cipher = name switch
        {
            null or "aes-gcm" or "gcm" => OnionCipher.AesGcm,
            "xchacha20" or "xchacha20-poly1305" => OnionCipher.XChaCha20Poly1305,
            "aes-cbc" or "cbc" => OnionCipher.AesCbc,
            _ => (OnionCipher)(-1),
        };
        return Enum.IsDefined(cipher);
    }

    public static string WireName(OnionCipher cipher) => cipher switch
    {
        OnionCipher.AesGcm => "aes-gcm",
        OnionCipher.XChaCha20Poly1305 => "xchacha20",
        _ => "aes-cbc",
    };
}
