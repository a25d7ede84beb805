using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Node.Swarm;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>A seed and nodes that register with it and compute the swarm map from its list, refreshing every second.</summary>
public sealed class SeededNetwork : IAsyncDisposable
{
    private SeededNetwork(TestNode seed, string seedUrl) => (Seed, SeedUrl, Nodes) = (seed, seedUrl, [seed]);

    public TestNode Seed { get; }

    public string SeedUrl { get; }

    /// <summary>Every node, the seed first.</summary>
    public List<TestNode> Nodes { get; }

    public static async Task<SeededNetwork> StartAsync(int count, params string[] extraSettings)
    {
        var port = TestNode.FreePort();
        var url = $"https://127.0.0.1:{port}/";
        var seed = await TestNode.StartAsync(null, [.. Settings(url, extraSettings), "--Network:IsSeed=true", $"--Node:HttpsPort={port}"]);
        var network = new SeededNetwork(seed, url);
        await network.AddAsync(count - 1, extraSettings);
        return network;
    }

    public static string[] Settings(string seedUrl, string[] extra) =>
        [$"--Network:Seeds:0={seedUrl}", "--Network:RefreshInterval=00:00:01", "--Network:SwarmSeed=tests", "--Onion:AllowPrivateProxyTargets=true", .. extra];

    public async Task AddAsync(int count, params string[] extraSettings)
    {
        for (var i = 0; i < count; i++)
        {
            Nodes.Add(await TestNode.StartAsync(null, Settings(SeedUrl, extraSettings)));
        }
    }

    public static INetworkView ViewOf(TestNode node) => node.Services.GetRequiredService<INetworkViewSource>().Current;

    /// <summary>Polls until every running node lists exactly the running nodes and all agree on the map.</summary>
    public async Task WaitForAgreementAsync(IReadOnlyCollection<TestNode>? running = null, TimeSpan? timeout = null)
    {
        running ??= Nodes;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var views = running.Select(ViewOf).ToList();
            var digests = views.Select(NodeList.MapDigest).Distinct().Count();
            if (digests == 1 && views.All(v => v.Nodes.Count == running.Count && !v.Self.IsDecommissioned))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no agreement: {string.Join(", ", views.Select(v => $"{v.Nodes.Count} nodes/{NodeList.MapDigest(v)}"))}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
