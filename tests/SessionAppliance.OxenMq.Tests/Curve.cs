namespace SessionAppliance.OxenMq.Tests;

/// <summary>A fresh X25519 key pair, the kind a node's CurveZMQ key is.</summary>
internal sealed record Curve(byte[] Public, byte[] Secret)
{
    public static Curve Generate()
    {
        var pair = Sodium.PublicKeyBox.GenerateKeyPair();
        return new Curve(pair.PublicKey, pair.PrivateKey);
    }

    public string Hex => Convert.ToHexStringLower(Public);
}
