using Spectre.Console;

namespace SessionAppliance.Cli.Update;

/// <summary>
/// Finds, fetches and installs updates: from the operator's manifest URL on a schedule (automatic, within the
/// install window), from a bundle left on the boot partition, or from a file or URL the operator names. Every
/// decision is one line of output (the journal, under the update timer). The bundle's signature is RAUC's to
/// check; the manifest's is checked here before anything is fetched.
/// </summary>
internal sealed class UpdateAgent(IAnsiConsole console, HttpClient http, UpdateAgent.Board board, UpdateState state, IBundleInstaller installer,
    Func<byte[], byte[], CancellationToken, Task<bool>> signatureValid, TimeProvider time)
{
    /// <summary>Where this board keeps things, and what it runs; the defaults are the image's.</summary>
    internal sealed record Board(string RunningVersion, string RunDirectory, string BootDirectory, Uri HealthUrl, DateTimeOffset BootedAt, TimeZoneInfo Zone, Func<Task> Reboot);

    public async Task<int> AutomaticAsync(UpdateSettings settings, CancellationToken cancellationToken)
    {
        using var exclusive = TryLock();
        if (exclusive is null)
        {
            return Say("another update run is in progress (the timer's or an operator's); this one stops");
        }

        if (state.Pending is { } pending)
        {
            return Say($"an installed update waits for the health gate ({pending}); nothing else until it is committed or rolled back");
        }

        var left = Directory.Exists(board.BootDirectory) ? Directory.GetFiles(board.BootDirectory, "*.raucb").Order(StringComparer.Ordinal).FirstOrDefault() : null;
        if (left is not null)
        {
            Say($"installing {Path.GetFileName(left)} from the boot partition");
            var code = await InstallAsync(left, expectedVersion: null, reboot: true, cancellationToken).ConfigureAwait(false);
            File.Move(left, Path.ChangeExtension(left, code == 0 ? ".installed" : ".refused"), overwrite: true);
            return code;
        }

        if (!settings.AutoInstall)
        {
            return Say("automatic updates are off (auto_update = no in session-appliance.txt)");
        }

        if (settings.ManifestUrl is null)
        {
            return Say("no update_url in session-appliance.txt: nothing to check");
        }

        var now = time.GetUtcNow();
        UpdateManifest? manifest;
        if (state.LastCheck is { } last && last.At >= board.BootedAt && now - last.At < settings.CheckInterval + last.Jitter)
        {
            // Not due: only a bundle offered at the last check may still be waiting for its download or the window.
            manifest = state.Offered;
            if (manifest is null)
            {
                return Say($"checked {Ago(now - last.At)} ago; the next check is after {TimeZoneInfo.ConvertTime(last.At + settings.CheckInterval + last.Jitter, board.Zone):yyyy-MM-dd HH:mm}");
            }
        }
        else
        {
            // A fleet must not stampede the server: each check draws when the next is due (±1/12 of the interval).
            // A server that cannot be reached is asked again at the next run (hourly), not a day later.
            var spread = settings.CheckInterval.TotalSeconds / 12;
            var jitter = TimeSpan.FromSeconds(Math.Round((Random.Shared.NextDouble() * 2 - 1) * spread));
            manifest = await FetchManifestAsync(settings.ManifestUrl, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                return 1;
            }

            state.RecordCheck(now, jitter);

            state.Offer(manifest);
        }

        if (manifest.Version == board.RunningVersion)
        {
            return Say($"up to date: {manifest.Version} is running");
        }

        if (state.IsRejected(manifest.Version))
        {
            return Say($"{manifest.Version} is offered, but it did not pass the health gate here before; waiting for a newer one");
        }

        var (bundle, failed) = await DownloadAsync(manifest, cancellationToken).ConfigureAwait(false);
        if (bundle is null)
        {
            return failed;
        }

        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, board.Zone).DateTime);
        if (!settings.InWindow(local))
        {
            return Say($"{manifest.Version} is downloaded and installs in the update window {settings.WindowText} (now {local:HH\\:mm})");
        }

        return await InstallAsync(bundle, manifest.Version, reboot: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The operator's "update FILE|URL" (or "update" alone: the configured manifest, now, whatever the window).</summary>
    public async Task<int> ManualAsync(string? source, UpdateSettings settings, bool reboot, CancellationToken cancellationToken)
    {
        using var exclusive = TryLock();
        if (exclusive is null)
        {
            return Fail("Another update run is in progress (the timer's or an operator's): try again when it has finished.");
        }

        if (state.Pending is { } pending)
        {
            console.MarkupLine($"[yellow]An installed update waits for its health gate ({Markup.Escape(pending)}); try again once it is committed or rolled back.[/]");
            return 1;
        }

        if (source is null && settings.ManifestUrl is null)
        {
            console.MarkupLine("[red]Name a bundle file or URL, or set update_url in session-appliance.txt.[/]");
            return 1;
        }

        if (source is not null && !source.Contains("://", StringComparison.Ordinal))
        {
            return File.Exists(source)
                ? await InstallAsync(Path.GetFullPath(source), expectedVersion: null, reboot, cancellationToken).ConfigureAwait(false)
                : Fail($"{source}: no such file");
        }

        var url = source is null ? settings.ManifestUrl! : new Uri(source);
        if (!url.AbsolutePath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            var file = await new BundleDownloader(http, time).DownloadAsync(url, null, null, state.DownloadDirectory, null, Progress, cancellationToken).ConfigureAwait(false);
            return await InstallAsync(file, expectedVersion: null, reboot, cancellationToken).ConfigureAwait(false);
        }

        var manifest = await FetchManifestAsync(url, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return 1;
        }

        if (manifest.Version == board.RunningVersion)
        {
            return Say($"up to date: {manifest.Version} is running");
        }

        var (bundle, _) = await DownloadAsync(manifest, cancellationToken).ConfigureAwait(false);
        return bundle is null ? 1 : await InstallAsync(bundle, manifest.Version, reboot, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UpdateManifest?> FetchManifestAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var content = await http.GetByteArrayAsync(url, cancellationToken).ConfigureAwait(false);
            var signature = await http.GetByteArrayAsync(new Uri(url.AbsoluteUri + ".sig"), cancellationToken).ConfigureAwait(false);
            if (!await signatureValid(content, signature, cancellationToken).ConfigureAwait(false))
            {
                Refused($"the update manifest at {url} is not signed by a key this board trusts");
                return null;
            }

            var manifest = UpdateManifest.Parse(content, url);
            Say($"{url} offers {manifest.Version} ({manifest.Size / 1048576.0:0.0} MiB)");
            return manifest;
        }
        catch (HttpRequestException error)
        {
            Fail($"cannot fetch the update manifest {url}: {error.Message}");
            return null;
        }
        catch (InvalidDataException error)
        {
            Refused(error.Message);
            return null;
        }
    }

    /// <summary>The finished bundle, or null and the exit code: 0 when it only has to wait, 1 when it failed or was refused.</summary>
    private async Task<(string? Bundle, int Failed)> DownloadAsync(UpdateManifest manifest, CancellationToken cancellationToken)
    {
        var bandwidth = await NodeBandwidth.ReadAsync(http, board.HealthUrl, cancellationToken).ConfigureAwait(false);
        if (!bandwidth.Affords(manifest.Size))
        {
            return (null, Say($"{manifest.Version} waits: the month's bandwidth quota has {bandwidth.QuotaLeftBytes / 1048576} MiB left, under twice the bundle's size"));
        }

        try
        {
            var rate = bandwidth.DownloadRate is { } r ? $" at up to {r / 1024} KiB/s (the lowest class of the node's bandwidth)" : "";
            Say($"downloading {manifest.Bundle}{rate}");
            return (await new BundleDownloader(http, time).DownloadAsync(manifest.Bundle, manifest.Size, manifest.Sha256, state.DownloadDirectory, bandwidth.DownloadRate, Progress, cancellationToken).ConfigureAwait(false), 0);
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            return (null, Fail($"the download of {manifest.Version} stopped ({error.Message}); the next run resumes it"));
        }
        catch (UpdateRefusedException error)
        {
            return (null, Refused(error.Message));
        }
    }

    private async Task<int> InstallAsync(string bundle, string? expectedVersion, bool reboot, CancellationToken cancellationToken)
    {
        var busy = Path.Combine(board.RunDirectory, "update-in-progress");
        var started = time.GetUtcNow();
        try
        {
            var slot = installer.BootedSlot == "A" ? "B" : "A";
            var info = await installer.InspectAsync(bundle, cancellationToken).ConfigureAwait(false);
            if (info.Compatible != UpdateManifest.ApplianceCompatible || (expectedVersion is not null && info.Version != expectedVersion))
            {
                return Refused($"the bundle is {info.Compatible} {info.Version}, not {UpdateManifest.ApplianceCompatible} {expectedVersion ?? ""}".TrimEnd());
            }

            Touch(busy);
            Say($"installing {info.Version} into slot {slot} (the light shows \"updating: do not unplug\")");
            await installer.InstallAsync(bundle, line => console.WriteLine("  " + line.Trim()), cancellationToken).ConfigureAwait(false);
            state.MarkPending(slot, info.Version, started);
            state.ClearDownloads();
            File.Delete(Path.Combine(board.RunDirectory, "update-refused"));
            Say($"{info.Version} is in slot {slot} after {Ago(time.GetUtcNow() - started)}; it is committed once it boots healthy, else the board goes back to {board.RunningVersion}");
            if (reboot)
            {
                Say("rebooting into it");
                await board.Reboot().ConfigureAwait(false);
            }
            else
            {
                File.Delete(busy);
            }

            return 0;
        }
        catch (UpdateRefusedException error)
        {
            File.Delete(busy);
            return Refused(error.Message);
        }
        catch (InvalidOperationException error)
        {
            File.Delete(busy);
            return Fail(error.Message);
        }
    }

    /// <summary>One run at a time: two would share the download and RAUC takes one install at a time.</summary>
    private FileStream? TryLock()
    {
        Directory.CreateDirectory(board.RunDirectory);
        try
        {
            return new FileStream(Path.Combine(board.RunDirectory, "update.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void Progress(long done, long? total) =>
        console.WriteLine(total is > 0 and var t ? $"  {done * 100 / t,3}%  {done / 1048576.0,7:0.0} of {t / 1048576.0:0.0} MiB" : $"  {done / 1048576.0,7:0.0} MiB");

    /// <summary>Refused updates show on the light and console (the status service reads the file) until one installs.</summary>
    private int Refused(string reason)
    {
        try
        {
            Directory.CreateDirectory(board.RunDirectory);
            File.WriteAllText(Path.Combine(board.RunDirectory, "update-refused"), reason + "\n");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The refusal is still printed below; only the light misses it.
        }

        return Fail($"update refused: {reason}");
    }

    private int Say(string line)
    {
        console.WriteLine(line);
        return 0;
    }

    private int Fail(string line)
    {
        console.MarkupLine($"[red]{Markup.Escape(line)}[/]");
        return 1;
    }

    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }

    private static string Ago(TimeSpan span) => span.TotalHours >= 1 ? $"{span.TotalHours:0.0} h" : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0} s";
}
