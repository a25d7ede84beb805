namespace SessionAppliance.Node.Onion;

/// <summary>What one onion hop answers, whether it came over HTTPS or OxenMQ.</summary>
public sealed record HopAnswer(int Status, string ContentType, byte[] Body)
{
    public static HopAnswer Text(int status, string text) => new(status, "text/plain", System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A destination's sealed answer: always 200, the real status is inside.</summary>
    public static HopAnswer Sealed(byte[] body) => new(200, "text/plain", body);
}
