using SessionAppliance.Bench;

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

await RpcBenchmark.RunAsync(options);
return 0;
