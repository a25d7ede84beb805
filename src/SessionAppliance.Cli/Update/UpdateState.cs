using System.Globalization;

namespace SessionAppliance.Cli.Update;

/// <summary>
/// What the update agent remembers on the data partition (<c>/data/update</c>), as small text files the health
/// gate (image/…/update-gate) reads too: <c>pending</c> ("slot version started"), <c>rejected</c> (versions that
/// did not pass the gate), <c>last-check</c> ("unix-seconds jitter-seconds") and partial downloads.
/// </summary>
internal sealed class UpdateState(string directory)
{
    public string DownloadDirectory => Path.Combine(directory, "download");

    public string? Pending => ReadFirstLine("pending");

    public (DateTimeOffset At, TimeSpan Jitter)? LastCheck
    {
        get
        {
            var fields = ReadFirstLine("last-check")?.Split(' ');
            return fields is [var at, var jitter] && long.TryParse(at, CultureInfo.InvariantCulture, out var seconds) && long.TryParse(jitter, CultureInfo.InvariantCulture, out var jitterSeconds)
                ? (DateTimeOffset.FromUnixTimeSeconds(seconds), TimeSpan.FromSeconds(jitterSeconds))
                : null;
        }
    }

    /// <summary>The manifest the last check found (its signature was checked then), until its bundle is installed.</summary>
    public UpdateManifest? Offered
    {
        get
        {
            var fields = ReadFirstLine("offered")?.Split(' ');
            return fields is [var version, var bundle, var size, var sha256] && Uri.TryCreate(bundle, UriKind.Absolute, out var url) && long.TryParse(size, CultureInfo.InvariantCulture, out var bytes)
                ? new UpdateManifest(version, UpdateManifest.ApplianceCompatible, url, bytes, sha256)
                : null;
        }
    }

    public void Offer(UpdateManifest manifest) =>
        Write("offered", string.Create(CultureInfo.InvariantCulture, $"{manifest.Version} {manifest.Bundle.AbsoluteUri} {manifest.Size} {manifest.Sha256}"));

    public bool IsRejected(string version) =>
        File.Exists(Path.Combine(directory, "rejected")) && File.ReadLines(Path.Combine(directory, "rejected")).Any(line => line.Trim() == version);

    public void RecordCheck(DateTimeOffset at, TimeSpan jitter) =>
        Write("last-check", string.Create(CultureInfo.InvariantCulture, $"{at.ToUnixTimeSeconds()} {(long)jitter.TotalSeconds}"));

    public void MarkPending(string slot, string version, DateTimeOffset installStarted) =>
        Write("pending", string.Create(CultureInfo.InvariantCulture, $"{slot} {version} {installStarted.ToUnixTimeSeconds()}"));

    /// <summary>Drops finished and partial downloads once a bundle is installed (the card keeps no stale copies).</summary>
    public void ClearDownloads()
    {
        File.Delete(Path.Combine(directory, "offered"));
        if (Directory.Exists(DownloadDirectory))
        {
            Directory.Delete(DownloadDirectory, recursive: true);
        }
    }

    private string? ReadFirstLine(string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() is { Length: > 0 } line ? line : null : null;
    }

    private void Write(string name, string line)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path + ".new", line + "\n");
        File.Move(path + ".new", path, overwrite: true);
    }
}
