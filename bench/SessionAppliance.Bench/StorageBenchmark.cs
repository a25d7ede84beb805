using System.Diagnostics;
using SessionAppliance.Node.Storage;

namespace SessionAppliance.Bench;

/// <summary>
/// Issue 5's storage figures, for our store and for a naive LiteDB baseline in the same run: durable
/// stores/s, block-layer bytes and fsyncs per message, on-disk bytes per message after expiry churn, and
/// retrieves/s of 20 messages after a last hash. 1 KB messages; the store already holds 100k. Ours runs twice:
/// with the default read cache, and with the 24 MiB the default gives under the image's MemoryMax=256M
/// (the runtime's heap limit is 75% of the cgroup's, and the cache takes an eighth of that).
/// </summary>
public static class StorageBenchmark
{
    private const int ChurnRounds = 100;
    private const int ChurnBatch = 2_000;
    private const long ApplianceReadCacheBytes = 24L << 20;

    public static async Task RunAsync(BenchOptions options)
    {
        var directory = Directory.CreateTempSubdirectory("session-appliance-storage-bench-");
        try
        {
            Console.WriteLine($"# Storage: 1 KB messages, {options.PreloadMessages:N0} preloaded over {options.Accounts:N0} accounts, data in {directory.FullName}");
            var rows = new List<Figures>();
            var ours = new StorageOptions { CommitsPerSecond = options.CommitsPerSecond ?? new StorageOptions().CommitsPerSecond };
            rows.Add(await MeasureAsync(new OurStore(Path.Combine(directory.FullName, "ours.db"), ours, "default read cache"), options));
            var appliance = new StorageOptions { CommitsPerSecond = ours.CommitsPerSecond, ReadCacheBytes = ApplianceReadCacheBytes };
            rows.Add(await MeasureAsync(new OurStore(Path.Combine(directory.FullName, "ours-32.db"), appliance, "the image's read cache"), options));
            rows.Add(await MeasureAsync(new NaiveStore(Path.Combine(directory.FullName, "naive.db")), options));
            Print(rows);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private sealed record Figures(
        string Store, double StoresPerSecond, double BlockBytesPerMessage, double RequestedBytesPerMessage,
        double PacedRate, double SyncsPerMessage, double PacedP50Ms, double PacedP99Ms,
        double DiskBytesPerMessage, double RetrievesPerSecond, double NewestRetrievesPerSecond, string ReadCache);

    private static async Task<Figures> MeasureAsync(IBenchStore store, BenchOptions options)
    {
        await using var _ = store;
        var workload = new StorageWorkload(options.Accounts);
        Console.Error.WriteLine($"[{store.Name}] preloading {options.PreloadMessages:N0} messages ...");
        var watch = Stopwatch.StartNew();
        await store.PreloadAsync(workload.Next(options.PreloadMessages));
        Console.Error.WriteLine($"[{store.Name}] preloaded in {watch.Elapsed.TotalSeconds:F1} s");

        Console.Error.WriteLine($"[{store.Name}] retrieves of 20 after an early last hash, at {store.Count:N0} stored, for {options.Duration.TotalSeconds:F0} s ...");
        var cacheBefore = store.ReadCache;
        var retrieves = await LoadRun.RunAsync(2, options.Duration, (_, _) => Task.FromResult(store.RetrieveTwenty(workload.RetrieveTarget()) > 0));
        var cacheBetween = store.ReadCache;
        Console.Error.WriteLine($"[{store.Name}] retrieves of the newest 20, for {options.Duration.TotalSeconds:F0} s ...");
        var newest = await LoadRun.RunAsync(2, options.Duration, (_, _) => Task.FromResult(store.RetrieveTwenty(workload.NewestTarget()) > 0));
        var readCache = cacheBefore is null ? "none" : $"{cacheBefore.BudgetBytes / (double)(1 << 20):N0} MiB; {HitPercent(cacheBefore, cacheBetween!)} / {HitPercent(cacheBetween!, store.ReadCache!)}";

        Console.Error.WriteLine($"[{store.Name}] stores at full speed for {options.Duration.TotalSeconds:F0} s ...");
        var before = Sample(store);
        var burst = await LoadRun.RunAsync(store.StoreConcurrency, options.Duration, async (_, _) => await store.StoreAsync(workload.Next()));
        var afterBurst = Sample(store);

        Console.Error.WriteLine($"[{store.Name}] stores paced at 1,000/s for {options.Duration.TotalSeconds:F0} s ...");
        var paced = await LoadRun.RunPacedAsync(1_000, options.Duration, async _ => await store.StoreAsync(workload.Next()));
        var afterPaced = Sample(store);

        Console.Error.WriteLine($"[{store.Name}] expiry churn at {store.Count:N0} live: {ChurnRounds} rounds of {ChurnBatch:N0} in, oldest {ChurnBatch:N0} out ...");
        for (var round = 0; round < ChurnRounds; round++)
        {
            await store.ChurnAsync(workload.Next(ChurnBatch));
            await store.DeleteExpiredAsync(workload.ExpiryOfOldest(ChurnBatch));
        }

        return new Figures(
            store.Name,
            burst.PerSecond,
            PerMessage(afterBurst.Block - before.Block, burst.Operations),
            PerMessage(afterBurst.Requested - before.Requested, burst.Operations),
            paced.PerSecond,
            PerMessage(afterPaced.Syncs - afterBurst.Syncs, paced.Operations),
            paced.P50Ms,
            paced.P99Ms,
            (double)store.FileBytes / store.Count,
            retrieves.PerSecond,
            newest.PerSecond,
            readCache);
    }

    /// <summary>The share of packs the read cache served between two readings.</summary>
    private static string HitPercent(ReadCacheFigures before, ReadCacheFigures after)
    {
        var hits = after.Hits - before.Hits;
        var reads = hits + after.Misses - before.Misses;
        return $"{(reads == 0 ? 0 : 100.0 * hits / reads):F0}%";
    }

    private static (long Block, long Requested, long Syncs) Sample(IBenchStore store)
    {
        var io = ProcessIo.Read() ?? throw new InvalidOperationException("/proc/self/io is not readable; the block-layer figures need it");
        return (io.BlockWriteBytes - io.CancelledWriteBytes, io.RequestedWriteBytes, store.Syncs);
    }

    private static double PerMessage(long total, long messages) => messages == 0 ? double.NaN : (double)total / messages;

    private static void Print(List<Figures> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| store | durable stores/s | block bytes/msg | requested bytes/msg | fsyncs/msg at 1,000/s (achieved) | store p50 / p99 at 1,000/s | on-disk bytes/msg after churn | retrieves/s, 20 after an early last hash | retrieves/s, newest 20 | read cache; packs found in it (early / newest) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Store} | {r.StoresPerSecond:N0} | {r.BlockBytesPerMessage:N0} | {r.RequestedBytesPerMessage:N0} | {r.SyncsPerMessage:F4} ({r.PacedRate:N0}/s) | {r.PacedP50Ms:F1} / {r.PacedP99Ms:F1} ms | {r.DiskBytesPerMessage:N0} | {r.RetrievesPerSecond:N0} | {r.NewestRetrievesPerSecond:N0} | {r.ReadCache} |");
        }

        Console.WriteLine();
        Console.WriteLine("Targets (issue 5): ≥ 5,000 stores/s; ≤ 4,096 block bytes/msg; ≤ 0.01 fsyncs/msg at 1,000 stores/s; ≤ 1,331 on-disk bytes/msg; ≥ 10,000 retrieves/s.");
    }
}
