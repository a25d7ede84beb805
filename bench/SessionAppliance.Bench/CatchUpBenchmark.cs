using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Bench;

/// <summary>
/// Catch-up retrieves (20 after an early last hash, 2 threads) from one store of 1 KB messages, reopened with the
/// read cache the image gives each board (<see cref="BoardLimits.HeapLimitBytes"/>, then the store's default share
/// of it). Only the cache follows the board here; the process itself is not held to the heap limit. Then
/// what a pack read costs in LiteDB alone, below the cache: every pack the cache misses costs that.
/// </summary>
public static class CatchUpBenchmark
{
    private static readonly (string Board, int KernelMiB)[] Boards = [("512 MB", BoardLimits.SmallestBoardMiB), ("1 GB", 925), ("2 GB", 1_870), ("4 GB", 3_790), ("8 GB", 7_800)];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(BenchOptions options)
    {
        var directory = Directory.CreateTempSubdirectory("session-appliance-catch-up-bench-");
        try
        {
            var path = Path.Combine(directory.FullName, "messages.db");
            var workload = new StorageWorkload(options.Accounts);
            Console.WriteLine($"# Catch-up retrieves: {options.PreloadMessages:N0} messages of 1 KB over {options.Accounts:N0} accounts, 20 after an early last hash, 2 threads, {options.Duration.TotalSeconds:0} s per board");
            await using (var fill = new LiteDbMessageStore(path, new StorageOptions(), TimeProvider.System))
            {
                await workload.FillAsync(fill, options.PreloadMessages);
            }

            var rows = new List<string>();
            foreach (var (board, kernelMiB) in Boards)
            {
                var cacheBytes = StorageOptions.ReadCacheBytesFor(BoardLimits.HeapLimitBytes(kernelMiB));
                Console.Error.WriteLine($"[{board} board] read cache {cacheBytes / (double)(1 << 20):F1} MiB: {WarmUp.TotalSeconds:0} s to fill it, then {options.Duration.TotalSeconds:0} s measured ...");
                await using var store = new LiteDbMessageStore(path, new StorageOptions { ReadCacheBytes = cacheBytes }, TimeProvider.System);
                await LoadRun.RunAsync(2, WarmUp, (_, _) => Task.FromResult(CatchUp(store, workload) == 20));
                var before = store.ReadCache!;
                var run = await LoadRun.RunAsync(2, options.Duration, (_, _) => Task.FromResult(CatchUp(store, workload) == 20));
                var after = store.ReadCache!;
                var hits = after.Hits - before.Hits;
                var share = 100.0 * hits / Math.Max(1, hits + after.Misses - before.Misses);
                rows.Add($"| {board} | {cacheBytes / (double)(1 << 20):F1} MiB | {share:F0}% | {run.PerSecond:N0} | {run.P50Ms:F2} / {run.P99Ms:F2} ms | {run.Failures} |");
            }

            Console.Error.WriteLine($"[LiteDB alone] 20 random packs at a time from the store's file, one thread, {options.Duration.TotalSeconds:0} s ...");
            var (microseconds, allocated) = LiteDbReadFloor.Measure(path, options.Duration);
            Console.WriteLine();
            Console.WriteLine("| board | read cache | packs found in it | retrieves/s | p50 / p99 | failures |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            rows.ForEach(Console.WriteLine);
            Console.WriteLine();
            Console.WriteLine($"A pack read in LiteDB alone (the store's file, 20 random packs by `_id IN`, one thread): {microseconds:F1} µs and {allocated / 1024:F1} KiB allocated; one core does {1e6 / microseconds:N0} a second.");
            Console.WriteLine("Target (issue 17): ≥ 10,000 catch-up retrieves/s with 100,000 stored, under the image's memory limit.");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static int CatchUp(LiteDbMessageStore store, StorageWorkload workload)
    {
        var (owner, lastHash) = workload.RetrieveTarget();
        return store.Retrieve(owner, 0, lastHash, new RetrieveLimits(20, RetrieveLimits.AbsoluteMaxBytes)).Messages.Count;
    }
}
