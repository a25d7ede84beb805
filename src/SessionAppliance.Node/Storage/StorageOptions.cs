namespace SessionAppliance.Node.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>File name of the message database inside the node's data directory.</summary>
    public string FileName { get; set; } = "messages.db";

    /// <summary>Largest the store may grow, in bytes (spec §6: 3.5 GiB).</summary>
    public long CapacityBytes { get; set; } = 3_758_096_384;

    /// <summary>How long the writer gathers writes before one commit.</summary>
    public TimeSpan CommitWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    public int MaxBatchOperations { get; set; } = 2_000;

    /// <summary>Writes waiting beyond this make callers wait (back-pressure), never an unbounded queue.</summary>
    public int MaxQueuedOperations { get; set; } = 20_000;

    /// <summary>How often expired messages are deleted (spec §6: every 10 s).</summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromSeconds(10);
}
