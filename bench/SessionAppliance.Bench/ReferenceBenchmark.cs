using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Bench;

/// <summary>
/// Issues 17 and 18 side by side in one run: our published node and the reference storage server, each beside a
/// simulated oxend that lists it with 100 stand-ins (each node alone in its swarm, so nothing is replicated), under
/// the same load tool, phase by phase, the two alternating. Clients send 1 KB messages, each from its own loopback
/// address, to accounts of the node's own swarm. Ours runs with the image's limits on a 512 MB board
/// (<see cref="BoardLimits"/>); the reference has no memory limit. RSS is VmRSS from /proc (peak of samples every 100 ms under load);
/// card writes are the node process's write_bytes (counted by the kernel when pages are dirtied).
/// scripts/bench reference runs it inside a network namespace of its own, so nothing can leave the machine.
/// </summary>
public static class ReferenceBenchmark
{
    private const long TtlMs = 3_600_000;
    private const int Accounts = 128;
    private const int RetrieveAccounts = 32;
    private const int MessagesPerRetrieve = 40;

    public static async Task<int> RunAsync(BenchOptions options, string ours, string reference, string oxendSim)
    {
        var root = Directory.CreateTempSubdirectory("sa-vs-reference-").FullName;
        var processes = new List<Process>();
        try
        {
            Console.Error.WriteLine("  starting the simulated oxend (2 nodes + 100 stand-ins, one swarm each)");
            var oxendDir = Path.Combine(root, "oxend");
            processes.Add(Launch("dotnet", [oxendSim, "--dir", oxendDir, "--ips", "127.0.0.2,127.0.0.3", "--stand-ins", "100", "--solo-swarms", "true", "--block-seconds", "10"], []));
            var swarms = await SwarmsAsync(Path.Combine(oxendDir, "oxend-state.json"));

            var nodes = new[]
            {
                await StartReferenceAsync(reference, Path.Combine(root, "reference"), oxendDir, processes),
                StartOurs(ours, Path.Combine(root, "ours"), oxendDir, processes),
            };
            Console.Error.WriteLine("  choosing accounts of each node's swarm");
            for (var i = 0; i < nodes.Length; i++)
            {
                nodes[i].Accounts = AccountsOf(swarms, swarms.Nodes[i], Accounts + RetrieveAccounts);
                await nodes[i].WaitReadyAsync();
                nodes[i].ReadyRss = nodes[i].RssMiB();
            }

            var rows = new List<(string Phase, string[] Figures)>();
            foreach (var rate in new[] { 10.0, 100.0 })
            {
                rows.Add(($"store at {rate:0}/s: p50 / p99 ms; card bytes per store", await EachAsync(nodes, n => PacedAsync(n, rate, options.Duration))));
            }

            rows.Add(("store, 32 clients closed loop: stores/s; peak RSS", await EachAsync(nodes, n => ClosedLoopAsync(n, 32, options.Duration))));
            Console.Error.WriteLine($"  filling each node to {options.PreloadMessages:N0} messages with 128 clients");
            rows.Add(($"fill to {options.PreloadMessages:N0} messages, 128 clients: stores/s; peak RSS", await EachAsync(nodes, n => FillAsync(n, options.PreloadMessages))));
            rows.Add(($"quiet 40 s after the fill, {options.PreloadMessages:N0} stored: RSS", await EachAsync(nodes, async n =>
            {
                await Task.Delay(TimeSpan.FromSeconds(40)); // ours gives memory back after a quiet 30 s interval
                return $"{n.RssMiB():N0} MiB";
            })));
            rows.Add(($"store, 128 clients closed loop, {options.PreloadMessages:N0} stored: stores/s; peak RSS", await EachAsync(nodes, n => ClosedLoopAsync(n, 128, options.Duration))));
            rows.Add(($"retrieve a whole account ({MessagesPerRetrieve} messages), 32 clients: retrieves/s; p50 ms", await EachAsync(nodes, n => RetrievesAsync(n, options.Duration))));

            Console.WriteLine();
            Console.WriteLine($"| phase (1 KB messages, {options.Duration.TotalSeconds:N0} s each) | reference ({nodes[0].Version}) | ours ({Path.GetFileName(ours)}) |");
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine($"| RSS when ready, empty store | {nodes[0].ReadyRss:N0} MiB | {nodes[1].ReadyRss:N0} MiB |");
            foreach (var (phase, figures) in rows)
            {
                Console.WriteLine($"| {phase} | {figures[0]} | {figures[1]} |");
            }

            foreach (var node in nodes)
            {
                if (node.Process.HasExited)
                {
                    Console.Error.WriteLine($"  {node.Name} exited during the run (code {node.Process.ExitCode})");
                    return 1;
                }
            }

            return 0;
        }
        finally
        {
            foreach (var process in processes.Where(p => !p.HasExited))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Runs a phase on each node in turn, the reference first on odd phases and ours first on even ones.</summary>
    private static int s_phase;

    private static async Task<string[]> EachAsync(BenchNodeProcess[] nodes, Func<BenchNodeProcess, Task<string>> phase)
    {
        var figures = new string[nodes.Length];
        var order = s_phase++ % 2 == 0 ? new[] { 0, 1 } : [1, 0];
        foreach (var i in order)
        {
            Console.Error.WriteLine($"  {nodes[i].Name} …");
            figures[i] = await phase(nodes[i]);
        }

        return figures;
    }

    private static async Task<string> PacedAsync(BenchNodeProcess node, double rate, TimeSpan duration)
    {
        var before = node.Io();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var result = await LoadRun.RunPacedAsync(rate, duration, async i =>
        {
            var worker = (int)(i % Accounts);
            var request = new StorageRequests(node.Accounts[worker]).Store(0, BenchPayload.Of($"paced{rate}:{i}"), now, TtlMs, sign: false);
            return (await node.Clients[worker].CallAsync("store", request)).Code == 200;
        });
        var after = node.Io();
        var perStore = (double)(after.BlockWriteBytes - after.CancelledWriteBytes - before.BlockWriteBytes + before.CancelledWriteBytes) / Math.Max(1, result.Operations);
        return $"{result.P50Ms:0.0} / {result.P99Ms:0.0}; {perStore:N0} B{Failures(result)}";
    }

    private static async Task<string> ClosedLoopAsync(BenchNodeProcess node, int clients, TimeSpan duration)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (result, peak) = await node.SamplingRssAsync(() => LoadRun.RunAsync(clients, duration, async (worker, i) =>
        {
            var request = new StorageRequests(node.Accounts[worker % Accounts]).Store(0, BenchPayload.Of($"loop{clients}:{worker}:{i}"), now, TtlMs, sign: false);
            return (await node.Clients[worker % Accounts].CallAsync("store", request)).Code == 200;
        }));
        return $"{result.PerSecond:N0}; {peak:N0} MiB{Failures(result)}";
    }

    private static async Task<string> FillAsync(BenchNodeProcess node, int messages)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long next = 0;
        var watch = Stopwatch.StartNew();
        var (_, peak) = await node.SamplingRssAsync(async () =>
        {
            await Task.WhenAll(Enumerable.Range(0, Accounts).Select(async worker =>
            {
                for (var i = Interlocked.Increment(ref next); i <= messages; i = Interlocked.Increment(ref next))
                {
                    var request = new StorageRequests(node.Accounts[worker]).Store(0, BenchPayload.Of($"fill:{i}"), now, TtlMs, sign: false);
                    var call = node.Clients[worker].CallAsync("store", request);
                    if (await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(25))) != call)
                    {
                        throw new InvalidOperationException($"{node.Name} did not answer a store within 25 s while filling (store {i:N0})");
                    }

                    var reply = await call;
                    if (reply.Code != 200)
                    {
                        throw new InvalidOperationException($"{node.Name} refused a store while filling: {reply.Code} {reply.Body}");
                    }
                }
            }));
            return 0;
        });
        return $"{messages / watch.Elapsed.TotalSeconds:N0}; {peak:N0} MiB";
    }

    private static async Task<string> RetrievesAsync(BenchNodeProcess node, TimeSpan duration)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var accounts = node.Accounts[Accounts..];
        for (var a = 0; a < accounts.Length; a++)
        {
            for (var m = 0; m < MessagesPerRetrieve; m++)
            {
                var reply = await node.Clients[a].CallAsync("store", new StorageRequests(accounts[a]).Store(0, BenchPayload.Of($"retrieve:{a}:{m}"), now, TtlMs, sign: false));
                if (reply.Code != 200)
                {
                    throw new InvalidOperationException($"{node.Name} refused a store: {reply.Code} {reply.Body}");
                }
            }
        }

        var result = await LoadRun.RunAsync(RetrieveAccounts, duration, async (worker, _) =>
        {
            var request = new StorageRequests(accounts[worker]).Retrieve(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var reply = await node.Clients[worker].CallAsync("retrieve", request);
            return reply.Code == 200 && reply.Json["messages"]?.AsArray().Count == MessagesPerRetrieve;
        });
        return $"{result.PerSecond:N0}; {result.P50Ms:0.0}{Failures(result)}";
    }

    private static string Failures(LoadRun.Result result) => result.Failures == 0 ? "" : $" ({result.Failures:N0} failed)";

    private static AccountKeys[] AccountsOf(SwarmList swarms, ulong swarm, int count)
    {
        var found = new List<AccountKeys>(count);
        while (found.Count < count)
        {
            var keys = AccountKeys.NewSessionId();
            if (SwarmSpace.NearestSwarm(SwarmSpace.PositionOf(keys.Account), swarms.All) == swarm)
            {
                found.Add(keys);
            }
        }

        return [.. found];
    }

    private sealed record SwarmList(IReadOnlyList<ulong> All, IReadOnlyList<ulong> Nodes);

    /// <summary>The swarm ids the simulator assigned: all of them, sorted, and those of the two real nodes in order.</summary>
    private static async Task<SwarmList> SwarmsAsync(string statePath)
    {
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(statePath))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the simulated oxend wrote no state in 60 s");
            }

            await Task.Delay(200);
        }

        var nodes = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!["nodes"]!.AsArray()
            .Select(n => ulong.Parse(n!["swarm_id"]!.GetValue<string>(), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToList();
        return new SwarmList([.. nodes.Order()], nodes[..2]);
    }

    private static async Task<BenchNodeProcess> StartReferenceAsync(string executable, string dataDirectory, string oxendDir, List<Process> processes)
    {
        Directory.CreateDirectory(dataDirectory);
        Console.Error.WriteLine("  making the reference's TLS files (openssl)");
        await RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=localhost",
            "-keyout", Path.Combine(dataDirectory, "key.pem"), "-out", Path.Combine(dataDirectory, "cert.pem")]);
        await RunAsync("openssl", ["dhparam", "-dsaparam", "-out", Path.Combine(dataDirectory, "dh.pem"), "2048"]);
        var https = LocalPorts.Free();
        var process = Launch(executable, ["--bind-ip", "127.0.0.2", "--https-port", https.ToString(CultureInfo.InvariantCulture),
            "--omq-port", LocalPorts.Free().ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory,
            "--oxend-rpc", $"ipc://{oxendDir}/oxend-0.sock", "--log-level", "warn"], []);
        processes.Add(process);
        var version = (await RunAsync(executable, ["--version"])).Trim();
        return new BenchNodeProcess("reference", process, "127.0.0.2", https, version.Split(' ').FirstOrDefault(w => w.StartsWith('v')) ?? version);
    }

    private static BenchNodeProcess StartOurs(string executable, string dataDirectory, string oxendDir, List<Process> processes)
    {
        var https = LocalPorts.Free();
        var process = Launch(executable, [], new()
        {
            ["SESSION_APPLIANCE_Node__DataDirectory"] = dataDirectory,
            ["SESSION_APPLIANCE_Node__ListenAddress"] = "127.0.0.3",
            ["SESSION_APPLIANCE_Node__PublicIp"] = "127.0.0.3",
            ["SESSION_APPLIANCE_Node__HttpsPort"] = https.ToString(CultureInfo.InvariantCulture),
            ["SESSION_APPLIANCE_Node__OmqPort"] = LocalPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["SESSION_APPLIANCE_Node__HealthPort"] = "0",
            ["SESSION_APPLIANCE_Network__OxendRpc"] = $"ipc://{oxendDir}/oxend-1.sock",
            ["SESSION_APPLIANCE_Logging__LogLevel__Default"] = "Warning",
        }, boardLimits: true);
        processes.Add(process);
        return new BenchNodeProcess("ours", process, "127.0.0.3", https, "");
    }

    private static Process Launch(string file, string[] arguments, Dictionary<string, string> environment, bool boardLimits = false)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        if (boardLimits)
        {
            BoardLimits.ApplyTo(start.Environment);
        }

        var process = Process.Start(start)!;
        // A node's errors are shown (the console logger's "fail:"/"crit:" line and the message under it), so a phase
        // that fails says why; its warnings (the stand-in nodes fail every reachability test) are not.
        var showing = false;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line)
            {
                return;
            }

            showing = line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal) || (showing && line.StartsWith(' '));
            if (showing)
            {
                Console.Error.WriteLine($"    [{Path.GetFileName(file)}] {line}");
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine($"    [{Path.GetFileName(file)}] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs a command to its end; its standard output, or an error with its standard error if it failed.</summary>
    private static async Task<string> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {await error}");
    }

    /// <summary>One node process under test, with a client per account on its own loopback address.</summary>
    private sealed class BenchNodeProcess(string name, Process process, string ip, int port, string version)
    {
        public string Name { get; } = name;

        public Process Process { get; } = process;

        public string Version { get; } = version;

        public double ReadyRss { get; set; }

        public AccountKeys[] Accounts { get; set; } = [];

        public NodeRpcClient[] Clients { get; } = [.. Enumerable.Range(0, ReferenceBenchmark.Accounts + RetrieveAccounts)
            .Select(i => new NodeRpcClient(new Uri($"https://{ip}:{port}"), TimeSpan.FromSeconds(30), System.Net.IPAddress.Parse($"127.2.{i / 250}.{1 + (i % 250)}"), maxConnections: 1))];

        /// <summary>Ready once it takes a store for one of its own accounts.</summary>
        public async Task WaitReadyAsync()
        {
            var watch = Stopwatch.StartNew();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            while (true)
            {
                if (Process.HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with code {Process.ExitCode} before it was ready");
                }

                try
                {
                    var reply = await Clients[0].CallAsync("store", new StorageRequests(Accounts[0]).Store(0, BenchPayload.Of("ready"), now, TtlMs, sign: false));
                    if (reply.Code == 200)
                    {
                        Console.Error.WriteLine($"  {Name} ready after {watch.Elapsed.TotalSeconds:N1} s");
                        return;
                    }

                    if (watch.Elapsed > TimeSpan.FromSeconds(120))
                    {
                        throw new TimeoutException($"{Name} was not ready in 120 s: {reply.Code} {reply.Body}");
                    }
                }
                catch (HttpRequestException) when (watch.Elapsed < TimeSpan.FromSeconds(120))
                {
                }

                await Task.Delay(500);
            }
        }

        public double RssMiB() => ProcessRss.MiB(Process.Id);

        public ProcessIo Io() => ProcessIo.Read($"/proc/{Process.Id}/io") ?? throw new InvalidOperationException("no /proc/PID/io (task I/O accounting off?)");

        public Task<(T Result, double PeakMiB)> SamplingRssAsync<T>(Func<Task<T>> load) => ProcessRss.PeakWhileAsync(Process.Id, load);
    }
}
