namespace SessionAppliance.Bench;

/// <summary>
/// scripts/soak MINUTES: a node under the board's memory limit with mixed load and the attacks (SoakLoad) for the
/// given time. Prints a row a minute (RSS, GC heap, open files, what was served, store p99, refusals, errors) and a
/// verdict: RSS and open files level off (the last third no higher than the middle third allows), no error beyond
/// the attacks' own refusals, and the node never exited.
/// </summary>
internal static class SoakRun
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var minutes = (int)Math.Max(1, options.Duration.TotalMinutes);
        var data = Directory.CreateTempSubdirectory("sa-soak-").FullName;
        await using var node = await SoakNode.StartAsync(data);
        Console.WriteLine($"Soak: {minutes} min, node pid {node.ProcessId} with a {SoakNode.HeapLimitBytes >> 20} MiB GC heap limit; 40 stores/s (1 KB, TTL 20-120 s), 40 retrieves/s, 10 onions/s, a 1 MB onion every 30 s; attacks: 30 announced 10 MiB bodies, an onion flood of 200/s from one address");
        Console.WriteLine();
        Console.WriteLine("| min | RSS MB | GC heap MB | committed MB | open files | stores | retrieves | onions | big onions | store p99 ms | attack refusals | errors |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var current = new SoakCounters();
        using var stop = new CancellationTokenSource();
        var load = new SoakLoad(node, () => Volatile.Read(ref current)).RunAsync(stop.Token);
        var rows = new List<(long Rss, int Files, long Errors)>();
        var errorKinds = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var minute = 1; minute <= minutes && !node.Exited; minute++)
        {
            await Task.Delay(TimeSpan.FromMinutes(1));
            var done = Interlocked.Exchange(ref current, new SoakCounters());
            var (rss, files, heap, committed) = await node.SampleAsync();
            rows.Add((rss, files, done.Errors));
            foreach (var (kind, count) in done.ErrorKinds)
            {
                errorKinds[kind] = errorKinds.GetValueOrDefault(kind) + count;
            }

            Console.WriteLine($"| {minute} | {rss >> 20} | {heap >> 20} | {committed >> 20} | {files} | {done["store"]} | {done["retrieve"]} | {done["onion"]} | {done["big onion"]} | {done.StoreP99Ms:0.0} | {done["attack refused"] + done["attack announced"]} | {done.Errors} |");
        }

        await stop.CancelAsync();
        await load;
        return Verdict(rows, errorKinds, node.Exited);
    }

    private static int Verdict(List<(long Rss, int Files, long Errors)> rows, Dictionary<string, long> errorKinds, bool exited)
    {
        var third = Math.Max(1, rows.Count / 3);
        var middle = rows.Skip(third).Take(third).DefaultIfEmpty(rows[0]).ToList();
        var last = rows.TakeLast(third).ToList();
        var rssLevel = last.Max(r => r.Rss) <= middle.Max(r => r.Rss) * 1.10 + (8L << 20);
        var filesLevel = last.Max(r => r.Files) <= middle.Max(r => r.Files) + 16;
        var errors = errorKinds.Values.Sum();
        foreach (var (kind, count) in errorKinds.OrderByDescending(e => e.Value))
        {
            Console.WriteLine($"  {kind}: {count}");
        }

        var ok = rssLevel && filesLevel && errors == 0 && !exited;
        Console.WriteLine();
        Console.WriteLine($"verdict: {(ok ? "PASS" : "FAIL")} - RSS {(rssLevel ? "levelled off" : "still growing")} (last third max {last.Max(r => r.Rss) >> 20} MB vs middle {middle.Max(r => r.Rss) >> 20} MB), open files {(filesLevel ? "flat" : "growing")}, {errors} errors beyond the attacks' refusals{(exited ? ", the node EXITED" : "")}");
        return ok ? 0 : 1;
    }
}
