using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Board;

/// <summary>
/// Reads requests tools leave in the run directory (tmpfs, so no SD writes): "identify", shown for a while
/// after the file is touched, and "update-in-progress", shown while the file exists.
/// </summary>
public sealed class OperatorRequestReader(string runDirectory, TimeSpan identifyDuration, TimeProvider time)
{
    public OperatorRequests Read()
    {
        var identify = new FileInfo(Path.Combine(runDirectory, "identify"));
        var identifying = identify.Exists && time.GetUtcNow() - identify.LastWriteTimeUtc < identifyDuration;
        return new OperatorRequests(identifying, File.Exists(Path.Combine(runDirectory, "update-in-progress")));
    }
}
