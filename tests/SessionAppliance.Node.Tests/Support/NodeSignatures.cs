using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>Checks a node's reply signature the way desktop does.</summary>
public static class NodeSignatures
{
    public static void AssertSigned(TestNode node, string base64Signature, byte[] message) =>
        Assert.True(Ed25519.Verify(Convert.FromBase64String(base64Signature), message, node.Keys.Ed25519.PublicKey), "node signature does not verify");
}
