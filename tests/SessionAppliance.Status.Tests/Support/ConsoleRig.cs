using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace SessionAppliance.Status.Tests.Support;

/// <summary>
/// A real node process and a real status service process on loopback, as on the board: the console on its
/// own port, the node's health port between them. SESSION_APPLIANCE_TEST_NODE / SESSION_APPLIANCE_TEST_STATUS
/// name published executables (scripts/test sets the Native AOT builds); otherwise the builds beside the tests.
/// </summary>
public sealed class ConsoleRig : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    private ConsoleRig(string directory) => Directory = directory;

    public string Directory { get; }

    public int NodePort { get; private set; }

    public int ConsolePort { get; private set; }

    public Process Node => _processes[0];

    public string RunDirectory => Path.Combine(Directory, "run");

    public string RequestDirectory => Path.Combine(Directory, "requests");

    public Uri ConsoleUrl => new($"http://127.0.0.1:{ConsolePort}/");

    public static async Task<ConsoleRig> StartAsync()
    {
        var rig = new ConsoleRig(Path.Combine(Path.GetTempPath(), "console-rig-" + Guid.NewGuid().ToString("N")[..8]));
        System.IO.Directory.CreateDirectory(rig.RunDirectory);
        System.IO.Directory.CreateDirectory(rig.RequestDirectory);
        File.WriteAllText(Path.Combine(rig.Directory, "session-appliance.txt"), "# the operator's file\nbandwidth_rate = 5 MB/s\n");
        rig.NodePort = FreePort();
        var health = FreePort();
        rig.ConsolePort = FreePort();
        rig.Start(Executable("SESSION_APPLIANCE_TEST_NODE", "SessionAppliance.Node", "session-appliance-node"),
        [
            $"--Node:HttpsPort={rig.NodePort}", $"--Node:HealthPort={health}", "--Node:OmqPort=0", "--Node:ListenAddress=127.0.0.1",
            $"--Node:DataDirectory={Path.Combine(rig.Directory, "node")}", "--Logging:LogLevel:Default=Warning",
        ]);
        rig.Start(Executable("SESSION_APPLIANCE_TEST_STATUS", "SessionAppliance.Status", "session-appliance-status"),
        [
            $"--Status:NodeHealthUrl=http://127.0.0.1:{health}/health", "--Status:NodeTimeout=00:00:03", $"--Status:RunDirectory={rig.RunDirectory}",
            "--Status:BoardLeds:0=none", $"--Status:ShutdownCommand=/usr/bin/touch {Path.Combine(rig.RequestDirectory, "poweroff")}",
            $"--Console:Port={rig.ConsolePort}", "--Console:SampleInterval=00:00:01", $"--Console:StateDirectory={Path.Combine(rig.Directory, "state")}",
            $"--Console:RequestDirectory={rig.RequestDirectory}", $"--Console:SettingsFile={Path.Combine(rig.Directory, "session-appliance.txt")}",
        ]);
        await rig.WaitForStateAsync("healthy");
        return rig;
    }

    /// <summary>Polls /api/status until the console reports the state (its light's words), or fails after a minute.</summary>
    public async Task<JsonElement> WaitForStateAsync(string state)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(ConsoleUrl, "api/status"))).RootElement;
                last = status.GetProperty("state").GetString();
                if (last == state)
                {
                    return status;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                last = error.Message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the console never reported '{state}' (last: {last}); node log: {Log(0)}; status log: {Log(1)}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private readonly List<System.Text.StringBuilder> _logs = [];

    private string Log(int index)
    {
        lock (_logs[index])
        {
            var text = _logs[index].ToString();
            return text.Length > 3000 ? text[^3000..] : text;
        }
    }

    private void Start(string[] command, string[] args)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1).Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
        var log = new System.Text.StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        _logs.Add(log);
    }

    private static string[] Executable(string variable, string project, string name)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } published)
        {
            return [published];
        }

        // tests/<project>/bin/<Configuration>/net10.0/ → src/<project>/bin/<Configuration>/net10.0/<name>.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = output.Parent!.Name;
        var root = output;
        while (!File.Exists(Path.Combine(root.FullName, "SessionAppliance.sln")))
        {
            root = root.Parent ?? throw new DirectoryNotFoundException("repository root not found");
        }

        return ["dotnet", Path.Combine(root.FullName, "src", project, "bin", configuration, "net10.0", name + ".dll")];
    }

    private static readonly HashSet<int> Given = [];

    /// <summary>A free loopback port, never the same one twice in a run.</summary>
    public static int FreePort()
    {
        lock (Given)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
