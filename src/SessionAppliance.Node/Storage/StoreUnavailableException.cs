namespace SessionAppliance.Node.Storage;

/// <summary>
/// The store cannot write (its disk is full, or its file failed under it) and has stopped taking writes until it
/// is reopened. Callers answer at once with the reason instead of waiting; no acknowledged message is lost.
/// </summary>
public sealed class StoreUnavailableException(string reason, Exception? cause = null) : IOException(reason, cause)
{
    /// <summary>The operator-facing reason, e.g. "disk full: …".</summary>
    public static string ReasonFor(Exception error) =>
        IsDiskFull(error)
            ? "disk full: the message store cannot write (free space on the card; the node recovers by itself)"
            : "the message store stopped after a write failure (" + error.Message + "); the node reopens it by itself";

    public static bool IsDiskFull(Exception error) =>
        error.Message.Contains("No space left on device", StringComparison.Ordinal)
        || error.HResult is 28 or unchecked((int)0x80070070) || (error.InnerException is { } inner && IsDiskFull(inner));
}
