namespace SessionAppliance.Node.Storage;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>File name of the message database inside the node's data directory.</summary>
    public string FileName { get; set; } = "messages.db";

    /// <summary>
    /// Largest the store may grow, in bytes; 0 (default) means 3.5 GiB (spec §6) or half the space available to
    /// the store, whichever is smaller.
    /// </summary>
    public long CapacityBytes { get; set; }

    /// <summary>
    /// Most messages the store keeps, whatever their size; 0 (default) means as many as half the runtime's memory
    /// limit holds at <see cref="StorageCapacity.MemoryPerMessage"/> bytes each, so the in-memory index can never
    /// outgrow the board (about 393,000 under the image's MemoryMax=256M).
    /// </summary>
    public long MaxMessages { get; set; }

    /// <summary>The card's rated endurance in terabytes written, for the projected lifetime in health.</summary>
    public double CardEnduranceTbw { get; set; } = 10;

    /// <summary>
    /// The fsync budget: at most this many commits a second (a quarter second's worth may be spent at once); 0 means
    /// commit whenever writes wait. A store that finds the budget unspent is committed at once; under load, the
    /// stores that arrive while it refills share a commit, and a full batch commits at once.
    /// </summary>
    /// <remarks>
    /// 40 because a journalled commit costs the card one 4 KB page on top of the 2.3 KB a message LiteDB writes (to
    /// its log, then at its checkpoint): at 100 stores/s, measured over 150 s, 40 gives 3.9 KB of card writes a store
    /// with a median acknowledgement of 16 ms; 50 gave 4.3 KB at 12 ms, over the 4 KB a store allowed at that load.
    /// </remarks>
    public double CommitsPerSecond { get; set; } = 40;

    /// <summary>
    /// Size of the journal that takes small commits (<see cref="StoreJournal"/>), made once as zeros; 0 turns it off
    /// (every commit goes to LiteDB). The packs it holds stay in memory until LiteDB takes them, when it fills.
    /// </summary>
    public long JournalBytes { get; set; } = 1 << 20;

    public int MaxBatchOperations { get; set; } = 500;

    /// <summary>Writes waiting beyond this make callers wait (back-pressure), never an unbounded queue.</summary>
    public int MaxQueuedOperations { get; set; } = 20_000;

    /// <summary>
    /// Memory for recently read and written packs, in bytes; unset (default) means an eighth of the runtime's
    /// memory limit, at most 256 MiB (on the image that follows the board: the README's "How much a board holds").
    /// 0 turns the cache off.
    /// </summary>
    public long? ReadCacheBytes { get; set; }

    /// <summary>How often expired messages are deleted (spec §6: every 10 s).</summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The default for <see cref="ReadCacheBytes"/>; the runtime's figure honours a cgroup's memory limit.</summary>
    public static long DefaultReadCacheBytes() => ReadCacheBytesFor(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>The read cache a runtime memory limit gives by default: an eighth of it, at most 256 MiB.</summary>
    public static long ReadCacheBytesFor(long memoryLimitBytes) => Math.Min(256L << 20, memoryLimitBytes / 8);
}
