using System.Diagnostics;
using System.Text.Json.Nodes;
using SessionAppliance.Client;

namespace SessionAppliance.Bench;

/// <summary>
/// The node as its own process under the image's memory limit (a 192 MiB GC heap limit, as MemoryMax=256M gives
/// the runtime), sampled from /proc and its loopback health report.
/// </summary>
internal sealed class SoakNode : IAsyncDisposable
{
    public const long HeapLimitBytes = 192L << 20;

    private readonly Process _process;
    private readonly HttpClient _health;

    private SoakNode(Process process, int port, int healthPort, Protocol.Crypto.NodeKeys keys)
    {
        _process = process;
        Port = port;
        Keys = keys;
        _health = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }

    public Protocol.Crypto.NodeKeys Keys { get; }

    public int ProcessId => _process.Id;

    public bool Exited => _process.HasExited;

    public static async Task<SoakNode> StartAsync(string dataDirectory)
    {
        var keys = Node.Identity.NodeIdentityStore.LoadOrCreate(dataDirectory);
        var (port, healthPort) = (LocalPorts.Free(), LocalPorts.Free());
        // A published executable (scripts/soak publishes the Native AOT node that ships), else the JIT build beside us.
        var executable = Environment.GetEnvironmentVariable("SESSION_APPLIANCE_BENCH_NODE");
        var start = new ProcessStartInfo(executable ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (executable is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "session-appliance-node.dll"));
        }

        start.Environment["SESSION_APPLIANCE_CONFIG"] = Path.Combine(dataDirectory, "none.json");
        start.Environment["SESSION_APPLIANCE_Node__DataDirectory"] = dataDirectory;
        start.Environment["SESSION_APPLIANCE_Node__ListenAddress"] = "127.0.0.1";
        start.Environment["SESSION_APPLIANCE_Node__HttpsPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SESSION_APPLIANCE_Node__HealthPort"] = healthPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SESSION_APPLIANCE_Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_GCHeapHardLimit"] = HeapLimitBytes.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        File.WriteAllText(Path.Combine(dataDirectory, "none.json"), "{}");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { Length: > 0 }) { Console.Error.WriteLine("  node: " + line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new SoakNode(process, port, healthPort, keys);
        using var client = new NodeRpcClient(new Uri($"https://127.0.0.1:{port}"));
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(100))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("the node did not start");
            }

            try
            {
                if ((await client.CallAsync("info", [])).Code == 200)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }
        }
    }

    /// <summary>RSS and open files from /proc; GC heap from the health report (0 when it does not answer).</summary>
    public async Task<(long RssBytes, int OpenFiles, long GcHeapBytes, long GcCommittedBytes)> SampleAsync()
    {
        var rss = File.ReadLines($"/proc/{ProcessId}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024).FirstOrDefault();
        var files = Directory.GetFiles($"/proc/{ProcessId}/fd").Length;
        try
        {
            var health = JsonNode.Parse(await _health.GetStringAsync("/health"))!["process"]!;
            return (rss, files, health["gc_heap_bytes"]!.GetValue<long>(), health["gc_committed_bytes"]!.GetValue<long>());
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or NullReferenceException)
        {
            return (rss, files, 0, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _health.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
