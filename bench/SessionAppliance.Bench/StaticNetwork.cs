using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Identity;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Bench;

/// <summary>Nodes in this process on a fixed list, one swarm, peers reached over the given transport.</summary>
public sealed class StaticNetwork : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly List<string> _directories = [];

    public List<NodeKeys> Keys { get; } = [];

    public List<int> Ports { get; } = [];

    public IEnumerable<IServiceProvider> Services => _apps.Select(a => a.Services);

    public static async Task<StaticNetwork> StartAsync(int count, string transport)
    {
        var network = new StaticNetwork();
        var omqPorts = new List<int>();
        for (var i = 0; i < count; i++)
        {
            network._directories.Add(Directory.CreateTempSubdirectory("sa-bench-network-").FullName);
            network.Keys.Add(NodeIdentityStore.LoadOrCreate(network._directories[i]));
            network.Ports.Add(LocalPorts.Free());
            omqPorts.Add(transport == "omq" ? LocalPorts.Free() : 0);
        }

        string[] list = [.. Enumerable.Range(0, count).SelectMany(i => new[]
        {
            $"--Network:Nodes:{i}:Ed25519={network.Keys[i].Ed25519Hex}", $"--Network:Nodes:{i}:Ip=127.0.0.1",
            $"--Network:Nodes:{i}:HttpsPort={network.Ports[i]}", $"--Network:Nodes:{i}:OmqPort={omqPorts[i]}",
        })];
        for (var i = 0; i < count; i++)
        {
            // The per-source limits are off: a few load clients stand in for many real ones.
            var app = NodeHost.Build([$"--Node:DataDirectory={network._directories[i]}", "--Node:ListenAddress=127.0.0.1", $"--Node:HttpsPort={network.Ports[i]}",
                $"--Node:OmqPort={omqPorts[i]}", $"--Network:PeerTransport={transport}", "--Logging:LogLevel:Default=Warning", "--Node:HealthPort=0",
                "--Onion:SourceRequestsPerSecond=0", "--Network:RefillWhenEmpty=false", .. list]);
            await app.StartAsync();
            network._apps.Add(app);
        }

        while (network._apps.Any(a => !a.Services.GetRequiredService<NodeReadiness>().IsReady))
        {
            await Task.Delay(100);
        }

        return network;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
