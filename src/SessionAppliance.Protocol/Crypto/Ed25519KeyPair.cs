namespace SessionAppliance.Protocol.Crypto;

/// <summary>An Ed25519 key pair in libsodium's layout: secret key = seed ‖ public key.</summary>
public sealed class Ed25519KeyPair(byte[] publicKey, byte[] secretKey)
{
    public byte[] PublicKey { get; } = publicKey;

    public byte[] SecretKey { get; } = secretKey;

    public ReadOnlySpan<byte> Seed => SecretKey.AsSpan(0, Ed25519.SeedLength);

    public override string ToString() => $"Ed25519 {Convert.ToHexStringLower(PublicKey)}";
}
