using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Client;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Bench;

/// <summary>
/// Stores/s and retrieves/s over HTTPS loopback against a real node that already holds many messages.
/// Client and node share the machine, as they would on a small board serving its own tests.
/// </summary>
public static class RpcBenchmark
{
    private const long TtlMs = 3_600_000;

    /// <summary>
    /// Loopback addresses each closed-loop worker takes turns with: one address alone would go past the node's
    /// limit of 300 requests a second per address (the reference's) and measure the 429s.
    /// </summary>
    private const int AddressesPerWorker = 8;

    public static async Task RunAsync(BenchOptions options)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("sa-bench-").FullName;
        var port = LocalPorts.Free();
        var budget = options.CommitsPerSecond ?? new StorageOptions().CommitsPerSecond;
        var app = NodeHost.Build([$"--Node:DataDirectory={dataDirectory}", "--Node:ListenAddress=127.0.0.1", $"--Node:HttpsPort={port}", "--Logging:LogLevel:Default=Warning", "--Node:HealthPort=0", "--Node:OmqPort=0",
            $"--Storage:CommitsPerSecond={budget.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            $"--Storage:JournalBytes={(options.JournalKilobytes is { } kb ? kb * 1024L : new StorageOptions().JournalBytes)}"]);
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IMessageStore>();
            var accounts = Enumerable.Range(0, options.Accounts).Select(_ => AccountKeys.NewSessionId()).ToArray();
            await PreloadAsync(store, accounts, options.PreloadMessages);

            // Each client has its own loopback address, so the per-address limit applies as in the field.
            var clients = Enumerable.Range(0, options.Concurrency * AddressesPerWorker).Select(i => LocalPorts.ClientFor(port, i)).ToArray();
            Console.WriteLine($"Stores paced at home load (10/s, 100/s), then at full speed, for {options.Duration.TotalSeconds:0} s each…");
            var paced = new List<(double Rate, LoadRun.Result Result, double BlockBytes, double Syncs)>();
            foreach (var rate in new[] { 10.0, 100.0 })
            {
                paced.Add(await MeasurePacedStoresAsync(rate, clients, accounts, ((RecoveringMessageStore)store).Current, options));
            }

            Console.WriteLine($"Measuring for {options.Duration.TotalSeconds:0} s each with {options.Concurrency} concurrent HTTPS clients…");
            var stores = await MeasureStoresAsync(clients, accounts, options);
            var retrieves = await MeasureRetrievesAsync(clients, store, accounts, options);
            foreach (var client in clients)
            {
                client.Dispose();
            }

            Console.WriteLine();
            Console.WriteLine($"| operation ({options.PreloadMessages:N0} messages stored) | per second | p50 ms | p99 ms | failures |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Print("store, 1 KB, public inbox", stores);
            Print("retrieve, 20 of 40 after last_hash, signed", retrieves);
            Console.WriteLine();
            var journal = options.JournalKilobytes is 0 ? "no journal" : $"journal {(options.JournalKilobytes ?? new StorageOptions().JournalBytes / 1024)} KiB";
            Console.WriteLine($"| store, 1 KB, paced ({(budget == 0 ? "no fsync budget" : $"fsync budget {budget:0}/s")}, {journal}) | achieved /s | p50 ms | p99 ms | block bytes per store | fsyncs per store | failures |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (rate, result, blockBytes, syncs) in paced)
            {
                Console.WriteLine($"| {rate:0}/s | {result.PerSecond:N1} | {result.P50Ms:0.0} | {result.P99Ms:0.0} | {blockBytes:N0} | {syncs:0.00} | {result.Failures} |");
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static void Print(string name, LoadRun.Result result) =>
        Console.WriteLine($"| {name} | {result.PerSecond:N0} | {result.P50Ms:0.0} | {result.P99Ms:0.0} | {result.Failures} |");

    /// <summary>Fills the store directly (not over HTTPS) so the run starts from a realistic size quickly.</summary>
    private static async Task PreloadAsync(IMessageStore store, AccountKeys[] accounts, int count)
    {
        var stopwatch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const int Chunk = 10_000;
        for (var done = 0; done < count; done += Chunk)
        {
            var tasks = Enumerable.Range(done, Math.Min(Chunk, count - done)).Select(i =>
            {
                var owner = accounts[i % accounts.Length].Account;
                var data = Payload(i, "preload");
                return store.StoreAsync(new StoredMessage(owner, 0, MessageHash.Compute(owner, 0, data), now, now + TtlMs, data), false, CancellationToken.None);
            });
            await Task.WhenAll(tasks);
            Console.Write($"\rPreloading messages: {Math.Min(done + Chunk, count):N0} / {count:N0}");
        }

        Console.WriteLine($"  ({stopwatch.Elapsed.TotalSeconds:0.0} s)");
    }

    /// <summary>Open-loop stores at a fixed rate, with the card bytes (block layer) and fsyncs each one cost.</summary>
    private static async Task<(double, LoadRun.Result, double, double)> MeasurePacedStoresAsync(double rate, NodeRpcClient[] clients, AccountKeys[] accounts, LiteDbMessageStore store, BenchOptions options)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ioBefore = ProcessIo.Read();
        var syncsBefore = store.Meter.Syncs;
        var result = await LoadRun.RunPacedAsync(rate, options.Duration, async i =>
        {
            var p = new StorageRequests(accounts[(int)(i % accounts.Length)]).Store(0, Payload(i, "paced" + rate), now, TtlMs, sign: false);
            return (await clients[(int)(i % clients.Length)].CallAsync("store", p)).Code == 200;
        });
        var ioAfter = ProcessIo.Read();
        var blockBytes = ioBefore is { } before && ioAfter is { } after
            ? (double)(after.BlockWriteBytes - after.CancelledWriteBytes - before.BlockWriteBytes + before.CancelledWriteBytes) / result.Operations
            : double.NaN;
        return (rate, result, blockBytes, (double)(store.Meter.Syncs - syncsBefore) / result.Operations);
    }

    private static async Task<LoadRun.Result> MeasureStoresAsync(NodeRpcClient[] clients, AccountKeys[] accounts, BenchOptions options)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return await LoadRun.RunAsync(options.Concurrency, options.Duration, async (worker, i) =>
        {
            var keys = accounts[(int)((worker * 7919 + i) % accounts.Length)];
            var p = new StorageRequests(keys).Store(0, Payload(worker * 1_000_000_000L + i, "bench"), now, TtlMs, sign: false);
            var reply = await ClientOf(clients, worker, i).CallAsync("store", p);
            return reply.Code == 200;
        });
    }

    private static async Task<LoadRun.Result> MeasureRetrievesAsync(NodeRpcClient[] clients, IMessageStore store, AccountKeys[] accounts, BenchOptions options)
    {
        // Each account gets 40 messages in namespace 2; a retrieve asks for the 20 after the 20th.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var bodies = new string[accounts.Length];
        var writes = new List<Task<StoreOutcome>>();
        for (var a = 0; a < accounts.Length; a++)
        {
            var owner = accounts[a].Account;
            var hashes = new List<string>();
            for (var m = 0; m < 40; m++)
            {
                var data = Payload(m, owner.Hex);
                hashes.Add(MessageHash.Compute(owner, 2, data));
                writes.Add(store.StoreAsync(new StoredMessage(owner, 2, hashes[^1], now, now + TtlMs, data), false, CancellationToken.None));
            }

            var p = new StorageRequests(accounts[a]).Retrieve(2, now, lastHash: hashes[19], maxCount: 20);
            bodies[a] = new JsonObject { ["method"] = "retrieve", ["params"] = p }.ToJsonString();
        }

        await Task.WhenAll(writes);
        return await LoadRun.RunAsync(options.Concurrency, options.Duration, async (worker, i) =>
        {
            var reply = await ClientOf(clients, worker, i).PostAsync("/storage_rpc/v1", bodies[(int)((worker * 7919 + i) % bodies.Length)]);
            return reply.Code == 200 && reply.Body.Contains("\"more\":false", StringComparison.Ordinal);
        });
    }

    private static NodeRpcClient ClientOf(NodeRpcClient[] clients, int worker, long request) =>
        clients[worker + (clients.Length / AddressesPerWorker * (int)(request % AddressesPerWorker))];

    private static byte[] Payload(long seed, string salt)
    {
        var data = new byte[1024];
        Encoding.ASCII.GetBytes($"{salt}:{seed}:").CopyTo(data, 0);
        return data;
    }
}
