using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Board;

/// <summary>
/// Reads requests tools leave in the run directory (tmpfs, so no SD writes): "identify", shown for a while
/// after the file is touched, "update-in-progress", shown while the file exists, and "settings-errors", which the
/// image's settings import writes (non-empty) when the operator's file on the boot partition has bad keys, and
/// "pair", touched by `session-appliance pair` (root over SSH, as good as standing at the board) to open the
/// console's pairing window like a double press, and "update-refused", the reason the update agent refused a bundle.
/// </summary>
public sealed class OperatorRequestReader(string runDirectory, TimeSpan identifyDuration, TimeProvider time)
{
    public OperatorRequests Read()
    {
        var identify = new FileInfo(Path.Combine(runDirectory, "identify"));
        var identifying = identify.Exists && time.GetUtcNow() - identify.LastWriteTimeUtc < identifyDuration;
        var settingsErrors = new FileInfo(Path.Combine(runDirectory, "settings-errors"));
        var pair = new FileInfo(Path.Combine(runDirectory, "pair"));
        return new OperatorRequests(identifying, File.Exists(Path.Combine(runDirectory, "update-in-progress")), settingsErrors is { Exists: true, Length: > 0 })
        {
            PairRequestedAt = pair.Exists ? new DateTimeOffset(pair.LastWriteTimeUtc, TimeSpan.Zero) : null,
            UpdateRefused = ReadReason(Path.Combine(runDirectory, "update-refused")),
        };
    }

    private static string? ReadReason(string path)
    {
        try
        {
            var text = File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
            return text is { Length: > 0 } ? (text.Length > 200 ? text[..200] + "…" : text) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
