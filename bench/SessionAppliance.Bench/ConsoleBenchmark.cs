extern alias status;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using ConsoleHistory = status::SessionAppliance.Status.Console.ConsoleHistory;
using HistoryPoint = status::SessionAppliance.Status.Console.HistoryPoint;
using HistoryRecorder = status::SessionAppliance.Status.Console.HistoryRecorder;

namespace SessionAppliance.Bench;

/// <summary>
/// Issue 21's budget, side by side: the status service before the console (a build of an earlier commit) and
/// with it, each beside the same Native AOT node. RSS (VmRSS) when started, idle CPU over 30 s, then for the
/// console: page and /metrics latency and CPU per request, bytes written to disk while serving (from
/// /proc/PID/io), RSS after the requests, the history file's size (so its daily writes), and the time to first
/// contentful paint in Debian's chromium. With SESSION_APPLIANCE_BENCH_CONSOLE_URL set it measures only the
/// latencies and the first paint of that console (the emulated board's forwarded port).
/// </summary>
public static class ConsoleBenchmark
{
    private const int Requests = 1000;

    // The exporter answers repeated scrapes within 300 ms from a cache; a real scraper asks every 15 s or more,
    // so each measured scrape waits that out and builds its answer afresh.
    private const int Scrapes = 100;
    private static readonly TimeSpan ScrapeCache = TimeSpan.FromMilliseconds(350);
    private const int Paints = 15;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        _ = options;
        if (Environment.GetEnvironmentVariable("SESSION_APPLIANCE_BENCH_CONSOLE_URL") is { Length: > 0 } remote)
        {
            Console.WriteLine($"| console at {remote} | page p50 / p99 | /metrics p50 / p99 | first contentful paint (median of {Paints}) |");
            Console.WriteLine("|---|---:|---:|---:|");
            var (pageLatency, _) = await LatencyAsync(new Uri(new Uri(remote), "/"), null, Requests / 10, TimeSpan.Zero, 0);
            var (scrapeLatency, _) = await LatencyAsync(new Uri(new Uri(remote), "/metrics"), null, Scrapes / 2, ScrapeCache, 0);
            Console.WriteLine($"| board | {pageLatency} | {scrapeLatency} | {await FirstPaintAsync(remote):0} ms |");
            return 0;
        }

        var builds = (Environment.GetEnvironmentVariable("SESSION_APPLIANCE_BENCH_BUILDS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(b => b.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        if (!builds.TryGetValue("node", out var node) || !builds.TryGetValue("console", out var withConsole))
        {
            Console.Error.WriteLine("bench console needs SESSION_APPLIANCE_BENCH_BUILDS=\"node=…;console=…;before=…\" (scripts/bench console sets it)");
            return 2;
        }

        var directory = Directory.CreateTempSubdirectory("sa-console-bench-").FullName;
        try
        {
            var health = LocalPorts.Free();
            using var nodeRun = Run(node, directory, "node",
                $"--Node:HttpsPort={LocalPorts.Free()}", $"--Node:HealthPort={health}", "--Node:OmqPort=0", "--Node:ListenAddress=127.0.0.1",
                $"--Node:DataDirectory={Path.Combine(directory, "node")}", "--Logging:LogLevel:Default=Warning");
            var historyBytes = WriteFullHistory(Path.Combine(directory, "state"));
            Console.WriteLine($"| status service | RSS started | idle CPU (30 s) | page p50 / p99, CPU per page (idle CPU taken off) | /metrics p50 / p99, CPU per scrape | disk writes while serving | RSS after {Requests:N0} pages and {Scrapes:N0} scrapes | first contentful paint (median of {Paints}) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, executable) in builds.Where(b => b.Key != "node"))
            {
                var port = LocalPorts.Free();
                using var statusRun = Run(executable, directory, name,
                    $"--Status:NodeHealthUrl=http://127.0.0.1:{health}/health", $"--Status:RunDirectory={Path.Combine(directory, "run")}", "--Status:BoardLeds:0=none",
                    $"--Console:Port={port}", $"--Console:StateDirectory={Path.Combine(directory, "state")}", $"--Console:RequestDirectory={directory}",
                    "--Logging:LogLevel:Default=Warning");
                var statusProcess = statusRun.Process;
                await Task.Delay(TimeSpan.FromSeconds(10));
                var started = Rss(statusProcess);
                var cpu = CpuSeconds(statusProcess);
                await Task.Delay(TimeSpan.FromSeconds(30));
                var idle = (CpuSeconds(statusProcess) - cpu) / 30 * 100;
                if (name != "console")
                {
                    Console.WriteLine($"| {name} (no console) | {started:0.0} MB | {idle:0.00} % | – | – | – | – | – |");
                    continue;
                }

                var written = WrittenBytes(statusProcess);
                var url = new Uri($"http://127.0.0.1:{port}/");
                var (page, pageCpu) = await LatencyAsync(url, statusProcess, Requests, TimeSpan.Zero, idle / 100);
                var (scrape, scrapeCpu) = await LatencyAsync(new Uri(url, "metrics"), statusProcess, Scrapes, ScrapeCache, idle / 100);
                var disk = WrittenBytes(statusProcess) - written;
                var after = Rss(statusProcess);
                var paint = await FirstPaintAsync(url.ToString());
                Console.WriteLine($"| {name} | {started:0.0} MB | {idle:0.00} % | {page}, {pageCpu:0.00} ms | {scrape}, {scrapeCpu:0.00} ms | {disk} B | {after:0.0} MB | {paint:0} ms |");
            }

            Console.WriteLine();
            Console.WriteLine($"History: a full file (24 h of minute points and 90 daily points) takes {historyBytes:N0} bytes; saved hourly, {historyBytes * 24 / 1024.0:N0} KiB a day.");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A history as full as it gets, with busy totals, where the console loads it at start.</summary>
    private static long WriteFullHistory(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var history = new ConsoleHistory();
        var random = new Random(21);
        var now = DateTimeOffset.UtcNow;
        long messages = 0, stores = 0, bytes = 0;
        for (var minute = -(90 * 24 * 60); minute <= 0; minute++)
        {
            messages += random.Next(0, 100);
            stores += random.Next(0, 100);
            bytes += random.Next(0, 5_000_000);
            var time = now.AddMinutes(minute);
            history.Add(new HistoryPoint(time.ToUnixTimeSeconds(), messages, messages * 1100, bytes / 3, bytes * 2 / 3, bytes, stores, stores * 4, stores / 10, stores * 20, stores / 2),
                DateOnly.FromDateTime(time.LocalDateTime));
        }

        using var file = File.Create(Path.Combine(stateDirectory, HistoryRecorder.FileName));
        return history.Save(file);
    }

    /// <param name="idleFraction">The service's own CPU while idle (its LED loop), taken off the per-request figure.</param>
    private static async Task<(string Latency, double CpuMilliseconds)> LatencyAsync(Uri url, Process? process, int count, TimeSpan pause, double idleFraction)
    {
        using var http = new HttpClient();
        await http.GetStringAsync(url);
        var cpu = process is null ? 0 : CpuSeconds(process);
        var elapsed = Stopwatch.StartNew();
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(pause);
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(url);
            await response.Content.ReadAsByteArrayAsync();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var perRequest = process is null ? 0 : Math.Max(0, CpuSeconds(process) - cpu - (idleFraction * elapsed.Elapsed.TotalSeconds)) * 1000 / count;
        return (string.Create(CultureInfo.InvariantCulture, $"{times[count / 2]:0.0} / {times[count * 99 / 100]:0.0} ms"), perRequest);
    }

    /// <summary>The browser's own first-contentful-paint figure, from navigation start, over fresh page loads.</summary>
    private static async Task<double> FirstPaintAsync(string url)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("SESSION_APPLIANCE_CHROMIUM") ?? "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        var paints = new List<double>();
        for (var i = 0; i < Paints; i++)
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            // The paint entry is recorded after the frame is presented, a little after the load event.
            await page.WaitForFunctionAsync("() => performance.getEntriesByName('first-contentful-paint').length > 0");
            paints.Add(await page.EvaluateAsync<double>("() => performance.getEntriesByName('first-contentful-paint')[0].startTime"));
            await page.CloseAsync();
        }

        paints.Sort();
        return paints[Paints / 2];
    }

    /// <summary>A process that is killed when the benchmark is done with it.</summary>
    private sealed class Running(Process process) : IDisposable
    {
        public Process Process => process;

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    private static Running Run(string executable, string directory, string name, params string[] args)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: {executable} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Running(process);
    }

    private static double Rss(Process process) => ProcField(process, "status", "VmRSS:") / 1024.0;

    private static long WrittenBytes(Process process) => ProcField(process, "io", "write_bytes:");

    private static long ProcField(Process process, string file, string field) =>
        File.ReadLines($"/proc/{process.Id}/{file}").Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => long.Parse(l[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).Single();

    /// <summary>utime + stime from /proc/PID/stat, in seconds (clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(Process process)
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
