using System.Diagnostics;
using SessionAppliance.Client;
using SessionAppliance.Node.Swarm;

namespace SessionAppliance.Bench;

/// <summary>
/// Swarm figures on loopback, nodes in this process: (1) durable stores/s a 3-node swarm takes through one
/// entry node, each store applied there and replicated to both peers before it is answered, beside a lone node
/// in the same run; (2) a resync: a 7-node network holding messages grows to 14 nodes, so a second swarm forms
/// and the messages it owns move; bytes pushed per message moved and the time until every move was done.
/// </summary>
public static class SwarmBenchmark
{
    private const long TtlMs = 3_600_000;

    public static async Task RunAsync(BenchOptions options)
    {
        Console.WriteLine($"Replication: stores of 1 KB for {options.Duration.TotalSeconds:0} s with {options.Concurrency} concurrent HTTPS clients…");
        var alone = await MeasureStoresAsync(1, options);
        var swarm = await MeasureStoresAsync(3, options);
        Console.WriteLine();
        Console.WriteLine("| durable stores through one entry node | per second | p50 ms | p99 ms | failures |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| lone node | {alone.PerSecond:N0} | {alone.P50Ms:0.0} | {alone.P99Ms:0.0} | {alone.Failures} |");
        Console.WriteLine($"| 3-node swarm (applied on all three before the answer) | {swarm.PerSecond:N0} | {swarm.P50Ms:0.0} | {swarm.P99Ms:0.0} | {swarm.Failures} |");

        await MeasureResyncAsync(Math.Min(options.PreloadMessages, 5_000));
    }

    private static async Task<LoadRun.Result> MeasureStoresAsync(int nodes, BenchOptions options)
    {
        await using var network = await BenchNetwork.StartAsync(nodes);
        await network.WaitForAgreementAsync(nodes);
        var clients = Enumerable.Range(0, options.Concurrency).Select(i => LocalPorts.ClientFor(network.Nodes[0].Port, i)).ToArray();
        var accounts = Enumerable.Range(0, options.Accounts).Select(_ => new StorageRequests(AccountKeys.NewSessionId())).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var result = await LoadRun.RunAsync(options.Concurrency, options.Duration, async (worker, i) =>
        {
            var account = accounts[(int)((worker * 7919 + i) % accounts.Length)];
            var reply = await clients[worker].CallAsync("store", account.Store(0, BenchPayload.Of($"{worker}:{i}"), now, TtlMs, sign: false));
            return reply.Code == 200 && !reply.Body.Contains("\"failed\"", StringComparison.Ordinal);
        });
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return result;
    }

    private static async Task MeasureResyncAsync(int messages)
    {
        Console.WriteLine();
        Console.WriteLine($"Resync: 7 nodes hold {messages:N0} messages of 1 KB (500 accounts); 7 more join, a second swarm forms…");
        await using var network = await BenchNetwork.StartAsync(7);
        await network.WaitForAgreementAsync(7);
        var accounts = Enumerable.Range(0, 500).Select(_ => new StorageRequests(AccountKeys.NewSessionId())).ToArray();
        using (var client = LocalPorts.ClientFor(network.Nodes[0].Port, 0))
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var done = 0; done < messages; done += 100)
            {
                await Task.WhenAll(Enumerable.Range(done, Math.Min(100, messages - done)).Select(i =>
                    client.CallAsync("store", accounts[i % accounts.Length].Store(0, BenchPayload.Of($"resync:{i}"), now, TtlMs, sign: false))));
                Console.Write($"\r  stored {Math.Min(done + 100, messages):N0} / {messages:N0}");
            }
        }

        Console.WriteLine();
        var stopwatch = Stopwatch.StartNew();
        await network.AddAsync(7);
        await network.WaitForAgreementAsync(14);
        var agreed = stopwatch.Elapsed;

        // Done when the pushes stop growing for two seconds.
        long pushed = -1, bytes = 0;
        var quietSince = stopwatch.Elapsed;
        while (stopwatch.Elapsed - quietSince < TimeSpan.FromSeconds(2))
        {
            var (m, b) = network.Nodes.Select(n => n.Get<SwarmResync>().Pushed).Aggregate((0L, 0L), (s, p) => (s.Item1 + p.Messages, s.Item2 + p.Bytes));
            if (m != pushed)
            {
                (pushed, bytes, quietSince) = (m, b, stopwatch.Elapsed);
            }

            await Task.Delay(200);
        }

        Console.WriteLine();
        Console.WriteLine("| resync, 7 → 14 nodes | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| messages stored before (each on all 7 nodes) | {messages:N0} |");
        Console.WriteLine($"| message copies pushed to new holders | {pushed:N0} |");
        Console.WriteLine($"| bytes pushed per message copy (1 KB payload, JSON + base64) | {(pushed == 0 ? 0 : bytes / (double)pushed):N0} |");
        Console.WriteLine($"| from the first new node to the map agreed on 14 nodes | {agreed.TotalSeconds:0.0} s |");
        Console.WriteLine($"| until the last push | {quietSince.TotalSeconds:0.0} s |");
    }

    /// <summary>A seed and nodes in this process, refreshing the list every second.</summary>
    private sealed class BenchNetwork : IAsyncDisposable
    {
        private string _seedUrl = "";

        public List<BenchNode> Nodes { get; } = [];

        public static async Task<BenchNetwork> StartAsync(int count)
        {
            var network = new BenchNetwork();
            var port = LocalPorts.Free();
            network._seedUrl = $"https://127.0.0.1:{port}/";
            await network.StartNodeAsync(port, "--Network:IsSeed=true");
            await network.AddAsync(count - 1);
            return network;
        }

        public async Task AddAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await StartNodeAsync(0);
            }
        }

        public async Task WaitForAgreementAsync(int count)
        {
            while (Nodes.Select(n => n.Get<INetworkViewSource>().Current).Any(v => v.Nodes.Count != count || v.Self.IsDecommissioned)
                || Nodes.Select(n => NodeList.MapDigest(n.Get<INetworkViewSource>().Current)).Distinct().Count() != 1)
            {
                await Task.Delay(100);
            }
        }

        private async Task StartNodeAsync(int port, params string[] extra) =>
            Nodes.Add(await BenchNode.StartAsync(port, [$"--Network:Seeds:0={_seedUrl}", "--Network:RefreshInterval=00:00:01", "--Network:SwarmSeed=bench", "--Onion:AllowPrivateProxyTargets=true", .. extra]));

        public async ValueTask DisposeAsync()
        {
            foreach (var node in Nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
