using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Client;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>A real node on a free loopback port with its own data directory, spoken to over HTTPS.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _disposed;

    private TestNode(WebApplication app, string dataDirectory, int port, ShiftableClock clock)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Port = port;
        Clock = clock;
        Client = new NodeRpcClient(new Uri($"https://127.0.0.1:{port}"));
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public ShiftableClock Clock { get; }

    public NodeRpcClient Client { get; }

    public int HealthPort => Services.GetRequiredService<NodeOptions>().HealthPort;

    public IServiceProvider Services => _app.Services;

    public NodeKeys Keys => Services.GetRequiredService<NodeKeys>();

    public long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static async Task<TestNode> StartAsync(string? dataDirectory = null, params string[] settings)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("sa-node-").FullName;
        var portSetting = settings.LastOrDefault(s => s.StartsWith("--Node:HttpsPort=", StringComparison.Ordinal));
        var port = portSetting is null ? FreePort() : int.Parse(portSetting["--Node:HttpsPort=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var clock = new ShiftableClock();
        string[] args =
        [
            $"--Node:DataDirectory={dataDirectory}",
            "--Node:ListenAddress=127.0.0.1",
            "--Logging:LogLevel:Default=Warning",
            $"--Node:HealthPort={FreePort()}",
            "--Node:OmqPort=0", // no OxenMQ listener unless a test asks for one (a port of its own)
            .. settings,
            $"--Node:HttpsPort={port}",
        ];
        var app = NodeHost.Build(args, services => services.AddSingleton<TimeProvider>(clock));
        await app.StartAsync();
        return new TestNode(app, dataDirectory, port, clock);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// A free loopback port never handed out before in this test run: the kernel may give a port just released
    /// to the next caller, and two settings of one node (or two nodes) must not end up with the same port.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    private static readonly HashSet<int> HandedOut = [];
}
