using System.Diagnostics;
using System.Globalization;
using SessionAppliance.Client;
using SessionAppliance.Node.Storage;

namespace SessionAppliance.Bench;

/// <summary>
/// Issue 18, side by side for each published build of the node (scripts/bench start publishes the Native AOT build
/// and a trimmed JIT build): start to ready with a store of N 1 KB messages, after a clean stop (the index read from
/// its snapshot) and after a crash (no snapshot: the index rebuilt by a scan), RSS when ready and after 10 s idle, then
/// RSS (peak, sampled every 100 ms) and stores/s under closed-loop store clients. RSS is VmRSS from /proc. Each node
/// runs with the image's memory limits on a 512 MB board (<see cref="BoardLimits"/>), and each store client sends
/// from its own loopback address.
/// </summary>
public static class StartBenchmark
{
    private const int Runs = 3;

    /// <param name="builds">Name and executable of each build, from SESSION_APPLIANCE_BENCH_BUILDS ("AOT=path;JIT=path").</param>
    public static async Task RunAsync(BenchOptions options, IReadOnlyList<(string Name, string Executable)> builds)
    {
        var template = Directory.CreateTempSubdirectory("sa-start-template-").FullName;
        try
        {
            await PrepareAsync(template, builds[0].Executable, options.PreloadMessages, options.Accounts);
            Console.WriteLine();
            Console.WriteLine($"| build | start to ready after a clean stop ({options.PreloadMessages:N0} messages; {Runs} runs) | after a crash (scan) | RSS when ready (clean stop; crash) | RSS after 10 s idle | {options.Concurrency} store clients, {options.Duration.TotalSeconds:N0} s: stores/s (refused) | peak RSS under load | RSS 40 s after the load |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, executable) in builds)
            {
                var starts = new List<double>();
                double readyRss = 0, idleRss = 0, loadRss = 0, afterRss = 0, storesPerSecond = 0;
                long refused = 0;
                var (scanSeconds, scanRss) = await StartAfterCrashAsync(executable, template);
                for (var run = 1; run <= Runs; run++)
                {
                    var data = Copy(template);
                    try
                    {
                        using var node = await NodeRun.StartAsync(executable, data);
                        starts.Add(node.StartSeconds);
                        readyRss = node.RssMiB();
                        if (run < Runs)
                        {
                            continue;
                        }

                        Console.Error.WriteLine($"  {name}: idle 10 s, then {options.Concurrency} store clients for {options.Duration.TotalSeconds:N0} s");
                        await Task.Delay(TimeSpan.FromSeconds(10));
                        idleRss = node.RssMiB();
                        (storesPerSecond, refused, loadRss) = await LoadAsync(node, options);
                        // The node gives memory back once a whole 30 s interval has been quiet (IdleMemoryTrim).
                        await Task.Delay(TimeSpan.FromSeconds(40));
                        afterRss = node.RssMiB();
                    }
                    finally
                    {
                        Directory.Delete(data, recursive: true);
                    }
                }

                Console.WriteLine($"| {name} | {string.Join(" / ", starts.Select(s => s.ToString("N2", CultureInfo.InvariantCulture) + " s"))} | {scanSeconds:N2} s | {readyRss:N0} MiB; {scanRss:N0} MiB | {idleRss:N0} MiB | {storesPerSecond:N0} ({refused:N0}) | {loadRss:N0} MiB | {afterRss:N0} MiB |");
            }
        }
        finally
        {
            Directory.Delete(template, recursive: true);
        }
    }

    /// <summary>A start with no snapshot, as after a power cut: the index is rebuilt by scanning every pack.</summary>
    internal static async Task<(double Seconds, double RssMiB)> StartAfterCrashAsync(string executable, string template, IReadOnlyDictionary<string, string>? environment = null)
    {
        var data = Copy(template);
        try
        {
            File.Delete(IndexSnapshot.PathOf(Path.Combine(data, "messages.db")));
            using var node = await NodeRun.StartAsync(executable, data, environment);
            return (node.StartSeconds, node.RssMiB());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>A data directory made by a first start (key and certificate), then filled with 1 KB messages while the node is down.</summary>
    internal static async Task PrepareAsync(string directory, string executable, int messages, int accounts)
    {
        Console.Error.WriteLine($"  preparing a data directory: key and certificate, then {messages:N0} messages over {accounts:N0} accounts");
        using (var first = await NodeRun.StartAsync(executable, directory))
        {
            first.Stop();
        }

        var store = new LiteDbMessageStore(Path.Combine(directory, "messages.db"), new StorageOptions(), TimeProvider.System);
        await new StorageWorkload(accounts).FillAsync(store, messages);
        await store.DisposeAsync();
    }

    private static async Task<(double StoresPerSecond, long Refused, double PeakRssMiB)> LoadAsync(NodeRun node, BenchOptions options)
    {
        // Each client from its own loopback address, as home users are: the node limits requests per address.
        var clients = Enumerable.Range(0, options.Concurrency)
            .Select(i => new NodeRpcClient(new Uri($"https://127.0.0.1:{node.Port}"), TimeSpan.FromSeconds(30), System.Net.IPAddress.Parse($"127.1.{i / 250}.{1 + (i % 250)}"), maxConnections: 1))
            .ToArray();
        var accounts = Enumerable.Range(0, options.Concurrency).Select(_ => new StorageRequests(AccountKeys.NewSessionId())).ToArray();
        var data = new byte[1024];
        var refusals = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var (result, peak) = await ProcessRss.PeakWhileAsync(node.ProcessId, () => LoadRun.RunAsync(options.Concurrency, options.Duration, async (worker, i) =>
        {
            BitConverter.TryWriteBytes(data.AsSpan(0, 8), ((long)worker << 40) + i);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var reply = await clients[worker].CallAsync("store", accounts[worker].Store(0, [.. data], now, 600_000));
            if (reply.Code != 200)
            {
                refusals.AddOrUpdate($"{reply.Code} {reply.Body[..Math.Min(60, reply.Body.Length)]}", 1, (_, n) => n + 1);
            }

            return reply.Code == 200;
        }));
        Array.ForEach(clients, c => c.Dispose());
        foreach (var (refusal, count) in refusals)
        {
            Console.Error.WriteLine($"  refused {count:N0}×: {refusal}");
        }

        return ((result.Operations - result.Failures) / result.Elapsed.TotalSeconds, result.Failures, peak);
    }

    internal static string Copy(string template)
    {
        var copy = Directory.CreateTempSubdirectory("sa-start-").FullName;
        foreach (var file in Directory.GetFiles(template))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }
}
