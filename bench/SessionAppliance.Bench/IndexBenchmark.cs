using System.Diagnostics;
using SessionAppliance.Node.Storage;

namespace SessionAppliance.Bench;

/// <summary>
/// What the in-memory index costs at a size (issue 17: memory at full capacity; issue 18: start to ready): the store
/// is filled with 1 KB messages, with its read cache off so only the index stays in memory, and the managed heap is
/// measured after a full collection; then the store is reopened, timing the start-up scan that rebuilds the index.
/// </summary>
public static class IndexBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        var directory = Directory.CreateTempSubdirectory("sa-index-bench-");
        var path = Path.Combine(directory.FullName, "messages.db");
        var settings = new StorageOptions { ReadCacheBytes = 0, CapacityBytes = 64L << 30 };
        try
        {
            var workload = new StorageWorkload(options.Accounts);
            var heapBefore = Heap();
            var store = new LiteDbMessageStore(path, settings, TimeProvider.System);
            await workload.FillAsync(store, options.PreloadMessages);
            var heapFilled = Heap();
            var count = store.Statistics().MessageCount;
            await store.DisposeAsync();

            var watch = Stopwatch.StartNew();
            store = new LiteDbMessageStore(path, settings, TimeProvider.System);
            var scan = watch.Elapsed;
            var heapReopened = Heap();
            await store.DisposeAsync();

            Console.WriteLine();
            Console.WriteLine($"| messages stored (1 KB, {options.Accounts:N0} accounts, read cache off) | index: managed heap per message | heap after a fresh open | start-up scan (open to ready store) | process RSS |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            Console.WriteLine($"| {count:N0} | {(heapFilled - heapBefore) / (double)count:N1} B | {heapReopened / (double)(1 << 20):N1} MiB | {scan.TotalSeconds:N2} s | {Environment.WorkingSet / (double)(1 << 20):N0} MiB |");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
