using SessionAppliance.Bench;

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

switch (options.Suite)
{
    case "rpc":
        await RpcBenchmark.RunAsync(options);
        break;
    case "onion":
        await OnionBenchmark.RunAsync(options);
        break;
    case "swarm":
        await SwarmBenchmark.RunAsync(options);
        break;
    case "transport":
        await TransportBenchmark.RunAsync(options);
        break;
    case "bandwidth":
        await BandwidthBenchmark.RunAsync(options);
        break;
    case "storage":
        await StorageBenchmark.RunAsync(options);
        break;
    case "catch-up":
        await CatchUpBenchmark.RunAsync(options);
        break;
    case "index":
        await IndexBenchmark.RunAsync(options);
        break;
    case "start" or "scan-heap":
        // "NAME=path;…", set by scripts/bench start (AOT and JIT) or scan-heap (this commit and an earlier one).
        var builds = (Environment.GetEnvironmentVariable("SESSION_APPLIANCE_BENCH_BUILDS") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(b => b.Split('=', 2))
            .Select(p => (p[0], p[^1]))
            .ToList();
        if (builds.Count == 0)
        {
            Console.Error.WriteLine($"bench {options.Suite} needs SESSION_APPLIANCE_BENCH_BUILDS=\"NAME=executable;…\" (scripts/bench {options.Suite} sets it)");
            return 2;
        }

        await (options.Suite == "start" ? StartBenchmark.RunAsync(options, builds) : ScanHeapBenchmark.RunAsync(options, builds));
        break;
    case "console":
        return await ConsoleBenchmark.RunAsync(options);
    case "reference":
        // "ours=path;reference=path;oxend-sim=path", set by scripts/bench reference.
        var paths = (Environment.GetEnvironmentVariable("SESSION_APPLIANCE_BENCH_BUILDS") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries).Select(b => b.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!paths.TryGetValue("ours", out var ours) || !paths.TryGetValue("reference", out var reference) || !paths.TryGetValue("oxend-sim", out var oxendSim))
        {
            Console.Error.WriteLine("bench reference needs SESSION_APPLIANCE_BENCH_BUILDS=\"ours=…;reference=…;oxend-sim=…\" (scripts/bench reference sets it)");
            return 2;
        }

        return await ReferenceBenchmark.RunAsync(options, ours, reference, oxendSim);
    case "soak":
        return await SoakRun.RunAsync(options);
    default:
        await RpcBenchmark.RunAsync(options);
        await OnionBenchmark.RunAsync(options);
        break;
}

return 0;
