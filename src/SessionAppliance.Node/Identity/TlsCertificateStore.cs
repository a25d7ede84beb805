using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SessionAppliance.Node.Identity;

/// <summary>
/// The node's self-signed TLS certificate, made on first start and kept. Clients never check it (spec §2), so
/// it uses ECDSA P-256, which a small board signs far faster than the reference's RSA-2048.
/// </summary>
public static class TlsCertificateStore
{
    public const string FileName = "tls.pfx";

    public static X509Certificate2 LoadOrCreate(string dataDirectory, TimeProvider time)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            SecretFile.WriteOnce(path, Create(time));
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
    }

    private static byte[] Create(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=SessionAppliance", key, HashAlgorithmName.SHA256);
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(10_000));
        return certificate.Export(X509ContentType.Pkcs12);
    }
}
