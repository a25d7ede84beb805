using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Node.Bandwidth;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Bench;

/// <summary>
/// The governor against real traffic: (1) a node capped at a rate in each direction serves clients that want far
/// more; the bytes the clients' own sockets see (TLS included) over the run, against the cap; (2) the CPU a
/// gigabyte costs through a node without the governor and through one with it (cap out of reach), same run;
/// (3) the governor's accounting alone, per call and per GB.
/// </summary>
public static class BandwidthBenchmark
{
    private const int MessageBytes = 60_000;
    private const int Clients = 8;
    private const long TtlMs = 3_600_000;

    public static async Task RunAsync(BenchOptions options)
    {
        var rate = options.RateKilobytes * 1000L;
        var duration = options.Duration;
        Console.WriteLine($"Cap {options.RateKilobytes:N0} kB/s each way; {Clients} clients asking for as much as they can get, {duration.TotalSeconds:0} s per direction.");

        var capped = $"{options.RateKilobytes} kB/s";
        await using (var node = await BenchNode.StartAsync(0, $"--Bandwidth:EgressRate={capped}", $"--Bandwidth:IngressRate={capped}"))
        {
            var egress = await MeasureAsync(node, duration, Direction.Egress, "egress (retrieves)");
            var ingress = await MeasureAsync(node, duration, Direction.Ingress, "ingress (stores)");
            Console.WriteLine();
            Console.WriteLine($"| direction, {duration.TotalSeconds:0} s | configured B/s | measured B/s | deviation | node's own count B/s |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            PrintRate("egress: node → clients (retrieves)", rate, egress);
            PrintRate("ingress: clients → node (stores)", rate, ingress);
        }

        // Both nodes warm up first, then take turns, so neither is favoured by JIT warm-up or by going second.
        var cpuDuration = TimeSpan.FromSeconds(Math.Max(5, duration.TotalSeconds / 8));
        Console.WriteLine();
        Console.WriteLine($"CPU per GB: retrieves at full speed through each node, warm-up then twice {cpuDuration.TotalSeconds:0} s each, alternating…");
        Traffic plain = Traffic.None, governed = Traffic.None;
        await using (var plainNode = await BenchNode.StartAsync())
        await using (var governedNode = await BenchNode.StartAsync(0, "--Bandwidth:EgressRate=100 GB/s", "--Bandwidth:IngressRate=100 GB/s"))
        {
            await MeasureAsync(plainNode, TimeSpan.FromSeconds(3), Direction.Egress, "warm-up without governor");
            await MeasureAsync(governedNode, TimeSpan.FromSeconds(3), Direction.Egress, "warm-up with governor");
            for (var round = 0; round < 2; round++)
            {
                plain += await MeasureAsync(plainNode, cpuDuration, Direction.Egress, "without governor");
                governed += await MeasureAsync(governedNode, cpuDuration, Direction.Egress, "with governor");
            }
        }

        var (callNs, accountingSecondsPerGb) = MeasureAccounting();
        Console.WriteLine();
        Console.WriteLine("| CPU seconds per GB moved (node and clients, one process) | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| without governor ({plain.ClientBytes / 1e9 / plain.Elapsed.TotalSeconds * 1000:N0} MB/s) | {plain.CpuSecondsPerGb:0.00} |");
        Console.WriteLine($"| with governor, cap out of reach ({governed.ClientBytes / 1e9 / governed.Elapsed.TotalSeconds * 1000:N0} MB/s) | {governed.CpuSecondsPerGb:0.00} |");
        Console.WriteLine($"| governor's cost (difference) | {governed.CpuSecondsPerGb - plain.CpuSecondsPerGb:0.00} |");
        Console.WriteLine($"| governor's accounting alone, 16 KiB socket writes | {accountingSecondsPerGb:0.000} ({callNs:0} ns per call) |");
    }

    private static void PrintRate(string name, long configured, Traffic traffic)
    {
        var measured = traffic.ClientBytes / traffic.Elapsed.TotalSeconds;
        var counted = traffic.NodeCountedBytes / traffic.Elapsed.TotalSeconds;
        Console.WriteLine($"| {name} | {configured:N0} | {measured:N0} | {(measured - configured) / configured:+0.0%;-0.0%} | {counted:N0} |");
    }

    private sealed record Traffic(long ClientBytes, long NodeCountedBytes, TimeSpan Elapsed, double CpuSeconds)
    {
        public static readonly Traffic None = new(0, 0, TimeSpan.Zero, 0);

        public static Traffic operator +(Traffic a, Traffic b) =>
            new(a.ClientBytes + b.ClientBytes, a.NodeCountedBytes + b.NodeCountedBytes, a.Elapsed + b.Elapsed, a.CpuSeconds + b.CpuSeconds);

        public double CpuSecondsPerGb => CpuSeconds / (ClientBytes / 1e9);
    }

    /// <summary>Runs one direction's load; bytes are counted on the clients' sockets, below TLS.</summary>
    private static async Task<Traffic> MeasureAsync(BenchNode node, TimeSpan duration, Direction direction, string label)
    {
        var counters = new long[2];
        var clients = Enumerable.Range(0, Clients).Select(i => CountingClient(node.Port, i, counters)).ToArray();
        var account = AccountKeys.NewSessionId();
        var requests = new StorageRequests(account);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (direction == Direction.Egress)
        {
            // 20 large messages in namespace 0, so every retrieve answers about 1.6 MB.
            for (var m = 0; m < 20; m++)
            {
                var data = BenchPayload.Of($"egress:{m}", MessageBytes);
                await node.Get<IMessageStore>().StoreAsync(new StoredMessage(account.Account, 0, MessageHash.Compute(account.Account, 0, data), now, now + TtlMs, data), false, CancellationToken.None);
            }
        }

        // Warm the connections (TLS handshakes) before the clock starts.
        await Task.WhenAll(clients.Select(c => c.GetAsync("/ping_test/v1")));
        var nodeBefore = node.Get<BandwidthGovernor>().Snapshot(clean: true);
        var before = Interlocked.Read(ref counters[(int)direction]);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        using var progress = new ProgressLine(label, stopwatch, duration, () => Interlocked.Read(ref counters[(int)direction]) - before);
        var workers = clients.Select(async (client, worker) =>
        {
            for (long i = 0; stopwatch.Elapsed < duration; i++)
            {
                var body = direction == Direction.Egress
                    ? requests.Retrieve(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
                    : requests.Store(0, BenchPayload.Of($"ingress:{worker}:{i}", MessageBytes), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), TtlMs, sign: false);
                var content = new JsonObject { ["method"] = direction == Direction.Egress ? "retrieve" : "store", ["params"] = body }.ToJsonString();
                try
                {
                    using var response = await client.PostAsync("/storage_rpc/v1", new StringContent(content, Encoding.UTF8, "application/json"));
                    await response.Content.CopyToAsync(Stream.Null);
                }
                catch (HttpRequestException)
                {
                    // A refused or reset request still moved bytes; the socket counters have them.
                }
            }
        });
        await Task.WhenAll(workers);
        var elapsed = stopwatch.Elapsed;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var moved = Interlocked.Read(ref counters[(int)direction]) - before;
        var nodeAfter = node.Get<BandwidthGovernor>().Snapshot(clean: true);
        var nodeCounted = direction == Direction.Egress ? nodeAfter.EgressBytes - nodeBefore.EgressBytes : nodeAfter.IngressBytes - nodeBefore.IngressBytes;
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return new Traffic(moved, nodeCounted, elapsed, cpu);
    }

    private static HttpClient CountingClient(int port, int index, long[] counters)
    {
        var source = new IPAddress([127, 0, 3, (byte)(2 + index)]);
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            MaxConnectionsPerServer = 1,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new CountingStream(new NetworkStream(socket, ownsSocket: true), counters);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <summary>The governor's own work per socket call, without sockets: Reserve on an unreachable cap.</summary>
    private static (double CallNs, double SecondsPerGb) MeasureAccounting()
    {
        var options = new BandwidthOptions { EgressRate = "100 GB/s", IngressRate = "100 GB/s" };
        var governor = new BandwidthGovernor(BandwidthPlan.From(options), TimeProvider.System);
        const int Chunk = 16_384;
        const int Calls = 5_000_000;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < Calls; i++)
        {
            governor.Reserve(Direction.Egress, Chunk);
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return (cpu / Calls * 1e9, cpu / ((double)Calls * Chunk / 1e9));
    }

    /// <summary>Counts the bytes a socket moves in each direction: [0] read (ingress to us), [1] written.</summary>
    private sealed class CountingStream(Stream inner, long[] counters) : ForwardingStream(inner)
    {
        // Seen from the node: what the client writes is the node's ingress, what it reads is the node's egress.
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await Inner.ReadAsync(buffer, cancellationToken);
            Interlocked.Add(ref counters[(int)Direction.Egress], read);
            return read;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Inner.WriteAsync(buffer, cancellationToken);
            Interlocked.Add(ref counters[(int)Direction.Ingress], buffer.Length);
        }
    }

    /// <summary>Rewrites one console line each second with elapsed time and throughput so far.</summary>
    private sealed class ProgressLine : IDisposable
    {
        private readonly Timer _timer;

        public ProgressLine(string label, Stopwatch stopwatch, TimeSpan duration, Func<long> bytes)
        {
            _timer = new Timer(_ => Console.Write($"\r  {label}: {stopwatch.Elapsed.TotalSeconds,3:0} / {duration.TotalSeconds:0} s, {bytes() / Math.Max(0.001, stopwatch.Elapsed.TotalSeconds) / 1000,8:N0} kB/s"), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        public void Dispose()
        {
            _timer.Dispose();
            Console.WriteLine();
        }
    }
}
