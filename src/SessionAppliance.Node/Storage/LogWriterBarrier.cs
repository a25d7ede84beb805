using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using LiteDB.Engine;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// LiteDB 5.0's Commit returns once a transaction's pages are queued for its background log writer, not once
/// they are written, and that writer flushes whenever its queue runs dry. To acknowledge a store only when it
/// is durable, the store waits for the queue (this barrier) and then syncs the log file itself, once per commit.
/// LiteDB offers no public call for the wait, so it is reached by reflection on the one version we ship. The
/// DynamicDependency attributes keep exactly those members (and their metadata) in the trimmed Native AOT build.
/// </summary>
internal sealed class LogWriterBarrier
{
    private readonly object _queue;
    private readonly MethodInfo _wait;

    [DynamicDependency("_disk", "LiteDB.Engine.LiteEngine", "LiteDB")]
    [DynamicDependency("get_Queue", "LiteDB.Engine.DiskService", "LiteDB")]
    [DynamicDependency("Wait", "LiteDB.Engine.DiskWriterQueue", "LiteDB")]
    [DynamicDependency("get_Value", typeof(Lazy<>))]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The members read here are kept by the DynamicDependency attributes above.")]
    public LogWriterBarrier(LiteEngine engine)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var disk = typeof(LiteEngine).GetField("_disk", Private)?.GetValue(engine)
            ?? throw new InvalidOperationException("LiteDB engine has no disk service; the pinned LiteDB version changed");
        var lazyQueue = disk.GetType().GetProperty("Queue")?.GetValue(disk)
            ?? throw new InvalidOperationException("LiteDB disk service has no writer queue; the pinned LiteDB version changed");
        _queue = lazyQueue.GetType().GetProperty("Value")!.GetValue(lazyQueue)!;
        _wait = _queue.GetType().GetMethod("Wait", Type.EmptyTypes)
            ?? throw new InvalidOperationException("LiteDB writer queue has no Wait(); the pinned LiteDB version changed");
    }

    /// <summary>Returns once every page queued so far has been handed to the log file.</summary>
    public void WaitForQueuedPages() => _wait.Invoke(_queue, null);
}
