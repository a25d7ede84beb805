using System.Diagnostics;
using System.Text;
using SessionAppliance.Cli.Update;

namespace SessionAppliance.Cli.Tests.Update;

/// <summary>The manifest's signature against real openssl: keys and signatures made here as build-image makes them.</summary>
public sealed class OpensslSignatureCheckerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cli-cms-").FullName;

    private string MakeKey(string name)
    {
        Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30", "-subj", "/CN=" + name,
            "-keyout", Path.Combine(_root, name + ".key"), "-out", Path.Combine(_root, name + ".pem"));
        return name;
    }

    private byte[] Sign(string key, byte[] content)
    {
        var input = Path.Combine(_root, "content");
        var output = Path.Combine(_root, "content.sig");
        File.WriteAllBytes(input, content);
        Openssl("cms", "-sign", "-binary", "-noattr", "-in", input, "-signer", Path.Combine(_root, key + ".pem"), "-inkey", Path.Combine(_root, key + ".key"), "-outform", "DER", "-out", output);
        return File.ReadAllBytes(output);
    }

    private static void Openssl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
    }

    [Fact]
    public async Task Only_the_exact_manifest_signed_by_a_key_in_the_keyring_passes()
    {
        var release = MakeKey("release");
        var stranger = MakeKey("stranger");
        var manifest = Encoding.UTF8.GetBytes("""{"version":"0.2.0"}""");
        var checker = new OpensslSignatureChecker(Path.Combine(_root, "release.pem"));

        Assert.True(await checker.VerifyAsync(manifest, Sign(release, manifest), CancellationToken.None));
        Assert.False(await checker.VerifyAsync(Encoding.UTF8.GetBytes("""{"version":"9.9.9"}"""), Sign(release, manifest), CancellationToken.None));
        Assert.False(await checker.VerifyAsync(manifest, Sign(stranger, manifest), CancellationToken.None));
        Assert.False(await checker.VerifyAsync(manifest, [0x30, 0x03, 0x02, 0x01, 0x00], CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
