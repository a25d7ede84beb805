using System.Diagnostics;
using SessionAppliance.Client;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>
/// The node's own executable, started as a separate process so it can be killed outright. By default the JIT build
/// beside the tests; with SESSION_APPLIANCE_TEST_NODE set to a published executable (scripts/test sets the Native AOT
/// build), that one: the classes marked <c>[Trait("Category", NodeProcess.Category)]</c> are run against it.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    public const string Category = "NodeProcess";

    private const int OutputLinesKept = 60;

    private readonly Process _process;
    private readonly Queue<string> _lastOutput = new();

    private NodeProcess(Process process, int port, int maxConnections)
    {
        _process = process;
        Client = new NodeRpcClient(new Uri($"https://127.0.0.1:{port}"), TimeSpan.FromSeconds(10), maxConnections: maxConnections);
    }

    public NodeRpcClient Client { get; }

    public int ProcessId => _process.Id;

    /// <param name="environment">More variables for the node, e.g. systemd's NOTIFY_SOCKET.</param>
    /// <param name="launcher">A command the node is started through, which ends by running its arguments (e.g. unshare).</param>
    public static async Task<NodeProcess> StartAsync(string dataDirectory, int port, int maxConnections = 8, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? launcher = null)
    {
        string[] command = [.. launcher ?? [], .. NodeCommand(), "--config", Path.Combine(dataDirectory, "none.json")];
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        command.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        File.WriteAllText(Path.Combine(dataDirectory, "none.json"), "{}");
        start.Environment["SESSION_APPLIANCE_Node__DataDirectory"] = dataDirectory;
        start.Environment["SESSION_APPLIANCE_Node__ListenAddress"] = "127.0.0.1";
        start.Environment["SESSION_APPLIANCE_Node__HttpsPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SESSION_APPLIANCE_Node__HealthPort"] = "0";
        start.Environment["SESSION_APPLIANCE_Node__OmqPort"] = "0";
        start.Environment["SESSION_APPLIANCE_Storage__CommitsPerSecond"] = "50";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var node = new NodeProcess(process, port, maxConnections);
        process.OutputDataReceived += (_, line) => node.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => node.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // drains the output readers
                Assert.Fail($"the node exited with code {process.ExitCode}; its last output:\n{node.LastOutput()}");
            }

            try
            {
                if ((await node.Client.PostAsync("/ping_test/v1", "")).Code == 200)
                {
                    return node;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Runs the node's executable with <paramref name="args"/> on a data directory until it exits by itself.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(string dataDirectory, params string[] args)
    {
        string[] command = [.. NodeCommand(), .. args];
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        command.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        start.Environment["SESSION_APPLIANCE_Node__DataDirectory"] = dataDirectory;
        start.Environment["SESSION_APPLIANCE_Node__ListenAddress"] = "127.0.0.1";
        start.Environment["SESSION_APPLIANCE_Node__HttpsPort"] = TestNode.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SESSION_APPLIANCE_Node__HealthPort"] = "0";
        start.Environment["SESSION_APPLIANCE_Node__OmqPort"] = "0";
        start.Environment["SESSION_APPLIANCE_CONFIG"] = Path.Combine(dataDirectory, "none.json");
        File.WriteAllText(Path.Combine(dataDirectory, "none.json"), "{}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The command line that runs the node under test.</summary>
    public static string[] NodeCommand() =>
        Environment.GetEnvironmentVariable("SESSION_APPLIANCE_TEST_NODE") is { Length: > 0 } executable
            ? [executable]
            : ["dotnet", Path.Combine(AppContext.BaseDirectory, "session-appliance-node.dll")];

    public void Kill()
    {
        // Process.Kill sends SIGKILL on Linux: no shutdown hooks, no final checkpoint.
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        Client.Dispose();
        _process.Dispose();
    }

    /// <summary>The node's last lines of output (both streams), for a failure's message.</summary>
    private string LastOutput()
    {
        lock (_lastOutput)
        {
            return string.Join('\n', _lastOutput);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastOutput)
        {
            _lastOutput.Enqueue(line);
            while (_lastOutput.Count > OutputLinesKept)
            {
                _lastOutput.Dequeue();
            }
        }
    }
}
