namespace SessionAppliance.Cli.Update;

/// <summary>What a verified bundle says about itself.</summary>
internal sealed record BundleInfo(string Version, string Compatible);

/// <summary>The update framework on the board (RAUC): it verifies, installs into the other slot and knows the booted one.</summary>
internal interface IBundleInstaller
{
    /// <summary>The booted root slot's boot name ("A" or "B").</summary>
    string BootedSlot { get; }

    /// <summary>Checks the bundle's signature and reads its manifest; <see cref="UpdateRefusedException"/> when it is not trusted.</summary>
    Task<BundleInfo> InspectAsync(string bundle, CancellationToken cancellationToken);

    /// <summary>Installs into the slot not booted and makes it the next to boot; each progress line goes to <paramref name="progress"/>.</summary>
    Task InstallAsync(string bundle, Action<string> progress, CancellationToken cancellationToken);
}

/// <summary>A bundle or manifest that is not signed by a trusted key, is damaged, or is for something else.</summary>
internal sealed class UpdateRefusedException(string message) : Exception(message);
