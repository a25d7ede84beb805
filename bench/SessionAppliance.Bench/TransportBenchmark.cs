using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Client.Onion;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Bench;

/// <summary>
/// Node-to-node transport, HTTPS against OxenMQ, side by side in one run on the same cores: (1) durable stores/s
/// through a 3-node swarm, each store forwarded to both peers (<c>/storage_rpc/v1</c> or <c>sn.storage_cc</c>)
/// before it is answered; (2) onion requests through 3 relays to a 4th node (<c>/onion_req/v2</c> hops or
/// <c>sn.onion_request</c>). Clients reach the entry node over HTTPS in both; only the nodes' own traffic changes.
/// </summary>
public static class TransportBenchmark
{
    private const long TtlMs = 3_600_000;
    private static readonly string[] Transports = ["https", "omq"];

    public static async Task RunAsync(BenchOptions options)
    {
        var stores = new Dictionary<string, LoadRun.Result>();
        var onions = new Dictionary<string, LoadRun.Result>();
        // Alternate the order between the two figures so neither transport always runs on a warmer process.
        foreach (var transport in Transports)
        {
            Console.WriteLine($"Stores through a 3-node swarm, peers over {transport}, {options.Concurrency} clients, {options.Duration.TotalSeconds:0} s…");
            stores[transport] = await MeasureStoresAsync(transport, options);
        }

        foreach (var transport in Transports.Reverse())
        {
            Console.WriteLine($"Onion requests over 4 nodes, hops over {transport}, {options.Concurrency} clients, {options.Duration.TotalSeconds:0} s…");
            onions[transport] = await MeasureOnionsAsync(transport, options);
        }

        Console.WriteLine();
        Console.WriteLine("| peer transport | replicated stores/s | store p50 / p99 ms | failures | onion requests/s | hops/s | onion p50 / p99 ms | failures |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var transport in Transports)
        {
            var (s, o) = (stores[transport], onions[transport]);
            Console.WriteLine($"| {(transport == "omq" ? "OxenMQ" : "HTTPS")} | {s.PerSecond:N0} | {s.P50Ms:0.0} / {s.P99Ms:0.0} | {s.Failures} | {o.PerSecond:N0} | {o.PerSecond * 4:N0} | {o.P50Ms:0.0} / {o.P99Ms:0.0} | {o.Failures} |");
        }
    }

    private static async Task<LoadRun.Result> MeasureStoresAsync(string transport, BenchOptions options)
    {
        await using var network = await StaticNetwork.StartAsync(3, transport);
        var clients = Enumerable.Range(0, options.Concurrency).Select(i => LocalPorts.ClientFor(network.Ports[0], i)).ToArray();
        var accounts = Enumerable.Range(0, options.Accounts).Select(_ => new StorageRequests(AccountKeys.NewSessionId())).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var result = await LoadRun.RunAsync(options.Concurrency, options.Duration, async (worker, i) =>
        {
            var account = accounts[(int)((worker * 7919 + i) % accounts.Length)];
            var reply = await clients[worker].CallAsync("store", account.Store(0, BenchPayload.Of($"{transport}:{worker}:{i}"), now, TtlMs, sign: false));
            return reply.Code == 200 && !reply.Body.Contains("\"failed\"", StringComparison.Ordinal);
        });
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return result;
    }

    private static async Task<LoadRun.Result> MeasureOnionsAsync(string transport, BenchOptions options)
    {
        await using var network = await StaticNetwork.StartAsync(4, transport);
        var hops = network.Keys.Select(k => new OnionHop(k.Ed25519.PublicKey, k.X25519PublicKey)).ToArray();
        var info = new JsonObject { ["method"] = "info", ["params"] = new JsonObject() };
        var onions = Enumerable.Range(0, 256).Select(_ => OnionRequestBuilder.ToNode(hops[..3], hops[3], info, OnionCipher.XChaCha20Poly1305)).ToArray();
        var clients = Enumerable.Range(0, options.Concurrency).Select(i => LocalPorts.ClientFor(network.Ports[0], i)).ToArray();
        var result = await LoadRun.RunAsync(options.Concurrency, options.Duration, async (worker, i) =>
        {
            var onion = onions[(int)((worker * 31 + i) % onions.Length)];
            var reply = await clients[worker].PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));
            return reply.Code == 200 && onion.OpenNodeReply(reply.Body) is { Status: 200 };
        });
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return result;
    }
}
