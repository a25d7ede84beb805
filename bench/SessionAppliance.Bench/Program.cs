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
    case "index":
        await IndexBenchmark.RunAsync(options);
        break;
    case "soak":
        return await SoakRun.RunAsync(options);
    default:
        await RpcBenchmark.RunAsync(options);
        await OnionBenchmark.RunAsync(options);
        break;
}

return 0;
