using SessionAppliance.Node.Identity;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>
/// Several real nodes on loopback that know each other through a fixed node list. They start without the
/// refill-when-empty request (every node starts empty here), so nothing moves between them unless a test asks.
/// </summary>
public sealed class TestNetwork : IAsyncDisposable
{
    private readonly List<TestNode> _nodes;
    private readonly List<string[]> _settings;

    private TestNetwork(List<TestNode> nodes, List<string[]> settings) => (_nodes, _settings) = (nodes, settings);

    public IReadOnlyList<TestNode> Nodes => _nodes;

    /// <summary>Stops node <paramref name="index"/>, lets the test change its data directory, and starts it again as before.</summary>
    public async Task RestartAsync(int index, Action<string> whileStopped, params string[] moreSettings)
    {
        var node = _nodes[index];
        await node.DisposeAsync();
        whileStopped(node.DataDirectory);
        _nodes[index] = await TestNode.StartAsync(node.DataDirectory, [.. _settings[index], .. moreSettings]);
    }

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
        var settings = new List<string[]>();
        for (var i = 0; i < count; i++)
        {
            settings.Add([$"--Node:HttpsPort={ports[i]}", "--Network:RefillWhenEmpty=false", .. list, .. extraSettings, .. perNode(i)]);
            nodes.Add(await TestNode.StartAsync(directories[i], settings[i]));
        }

        return new TestNetwork(nodes, settings);
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
