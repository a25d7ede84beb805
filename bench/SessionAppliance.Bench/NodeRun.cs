using System.Diagnostics;
using System.Globalization;

namespace SessionAppliance.Bench;

/// <summary>One node process on a data directory, started and timed until its health port answers.</summary>
internal sealed class NodeRun : IDisposable
{
    private readonly Process _process;

    private NodeRun(Process process, int port, double startSeconds) => (_process, Port, StartSeconds) = (process, port, startSeconds);

    public int Port { get; }

    public double StartSeconds { get; }

    /// <param name="environment">Settings over the board's limits, e.g. another DOTNET_GCHeapHardLimit.</param>
    public static async Task<NodeRun> StartAsync(string executable, string dataDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = LocalPorts.Free();
        var health = LocalPorts.Free();
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["SESSION_APPLIANCE_Node__DataDirectory"] = dataDirectory;
        start.Environment["SESSION_APPLIANCE_Node__ListenAddress"] = "127.0.0.1";
        start.Environment["SESSION_APPLIANCE_Node__HttpsPort"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["SESSION_APPLIANCE_Node__HealthPort"] = health.ToString(CultureInfo.InvariantCulture);
        start.Environment["SESSION_APPLIANCE_Node__OmqPort"] = "0";
        start.Environment["SESSION_APPLIANCE_Logging__LogLevel__Default"] = "Warning";
        // The image's limits on a 512 MB board; SESSION_APPLIANCE_BENCH_NODE_ENV="NAME=VALUE;…" sets others.
        BoardLimits.ApplyTo(start.Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var watch = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{executable} exited with code {process.ExitCode} before it was ready");
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{health}/health")).IsSuccessStatusCode)
                {
                    return new NodeRun(process, port, watch.Elapsed.TotalSeconds);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(10);
        }
    }

    public int ProcessId => _process.Id;

    public double RssMiB() => ProcessRss.MiB(_process.Id);

    /// <summary>SIGTERM and wait: the node's orderly shutdown.</summary>
    public void Stop()
    {
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
