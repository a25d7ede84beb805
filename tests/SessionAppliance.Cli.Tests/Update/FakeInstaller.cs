using System.Text;
using SessionAppliance.Cli.Update;

namespace SessionAppliance.Cli.Tests.Update;

/// <summary>RAUC in memory: a "bundle" is the text "bundle VERSION"; anything else is refused as RAUC refuses a bad signature.</summary>
internal sealed class FakeInstaller : IBundleInstaller
{
    public string BootedSlot { get; set; } = "A";

    public List<string> Installed { get; } = [];

    public Task<BundleInfo> InspectAsync(string bundle, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(bundle));
        return text.StartsWith("bundle ", StringComparison.Ordinal)
            ? Task.FromResult(new BundleInfo(text["bundle ".Length..].Trim(), UpdateManifest.ApplianceCompatible))
            : throw new UpdateRefusedException("RAUC refuses the bundle: signature verification failed");
    }

    public async Task InstallAsync(string bundle, Action<string> progress, CancellationToken cancellationToken)
    {
        var info = await InspectAsync(bundle, cancellationToken);
        progress("100% Installing done.");
        Installed.Add(info.Version);
    }
}
