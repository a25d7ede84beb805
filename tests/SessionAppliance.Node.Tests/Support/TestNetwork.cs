using SessionAppliance.Node.Identity;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>Several real nodes on loopback that know each other through a fixed node list.</summary>
public sealed class TestNetwork : IAsyncDisposable
{
    private TestNetwork(IReadOnlyList<TestNode> nodes) => Nodes = nodes;

    public IReadOnlyList<TestNode> Nodes { get; }

    public static Task<TestNetwork> StartAsync(int count, params string[] extraSettings) => StartAsync(count, _ => [], extraSettings);

    /// <param name="perNode">Settings for node i alone, after the shared ones.</param>
    public static async Task<TestNetwork> StartAsync(int count, Func<int, string[]> perNode, params string[] extraSettings)
    {
        var directories = Enumerable.Range(0, count).Select(_ => Directory.CreateTempSubdirectory("sa-net-").FullName).ToArray();
        var keys = directories.Select(NodeIdentityStore.LoadOrCreate).ToArray();
        var ports = directories.Select(_ => TestNode.FreePort()).ToArray();
        var list = Enumerable.Range(0, count).SelectMany(i => new[]
        {
            $"--Network:Nodes:{i}:Ed25519={keys[i].Ed25519Hex}",
            $"--Network:Nodes:{i}:Ip=127.0.0.1",
            $"--Network:Nodes:{i}:HttpsPort={ports[i]}",
        }).ToArray();

        var nodes = new List<TestNode>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(await TestNode.StartAsync(directories[i], [$"--Node:HttpsPort={ports[i]}", .. list, .. extraSettings, .. perNode(i)]));
        }

        return new TestNetwork(nodes);
    }

    public NodeKeys KeysOf(int index) => Nodes[index].Keys;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

}
