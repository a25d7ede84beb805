using System.Diagnostics;

namespace SessionAppliance.Cli.Update;

/// <summary>Checks a detached CMS signature (DER) with openssl against the keyring RAUC trusts for bundles.</summary>
internal sealed class OpensslSignatureChecker(string keyring = "/etc/rauc/keyring.pem")
{
    public async Task<bool> VerifyAsync(byte[] content, byte[] signature, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("session-appliance-manifest-");
        try
        {
            var contentPath = Path.Combine(directory.FullName, "manifest.json");
            var signaturePath = Path.Combine(directory.FullName, "manifest.json.sig");
            await File.WriteAllBytesAsync(contentPath, content, cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(signaturePath, signature, cancellationToken).ConfigureAwait(false);
            var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "cms", "-verify", "-binary", "-inform", "DER", "-in", signaturePath, "-content", contentPath, "-CAfile", keyring, "-purpose", "any", "-out", "/dev/null" })
            {
                start.ArgumentList.Add(argument);
            }

            using var openssl = Process.Start(start)!;
            _ = await openssl.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            _ = await openssl.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await openssl.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return openssl.ExitCode == 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
