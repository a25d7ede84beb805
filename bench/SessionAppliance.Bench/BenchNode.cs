using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Node.Hosting;

namespace SessionAppliance.Bench;

/// <summary>A node in this process on a loopback port with its own temporary data directory, removed on dispose.</summary>
public sealed class BenchNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private BenchNode(WebApplication app, string dataDirectory, int port) => (_app, _dataDirectory, Port) = (app, dataDirectory, port);

    public int Port { get; }

    public IServiceProvider Services => _app.Services;

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <param name="port">The HTTPS port, or 0 for a free one.</param>
    public static async Task<BenchNode> StartAsync(int port = 0, params string[] settings)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("sa-bench-").FullName;
        port = port == 0 ? LocalPorts.Free() : port;
        var app = NodeHost.Build([$"--Node:DataDirectory={dataDirectory}", "--Node:ListenAddress=127.0.0.1", $"--Node:HttpsPort={port}", "--Logging:LogLevel:Default=Warning", "--Node:HealthPort=0", "--Node:OmqPort=0", .. settings]);
        await app.StartAsync();
        return new BenchNode(app, dataDirectory, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
