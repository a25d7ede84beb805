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

        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        }
        catch (CryptographicException error)
        {
            throw new InvalidDataException(
                $"{path} is not a readable TLS certificate ({error.Message}); run session-appliance-node --recover-certificate to move it aside and make a new one (the node's identity is its key, which stays)", error);
        }
    }

    /// <summary>Moves the certificate aside (renamed <paramref name="suffix"/>, never deleted); the next start makes a new one.</summary>
    public static string? MoveAside(string dataDirectory, string suffix)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        File.Move(path, path + suffix);
        return path + suffix;
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
