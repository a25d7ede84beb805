using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SessionAppliance.Client;
using SessionAppliance.Client.Onion;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.OxendSim;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Node.Tests.Oxend;

/// <summary>
/// Nodes beside a simulated oxend (spec §5.3): identity, node list and swarms from oxend, peers over OxenMQ
/// (<c>sn.storage_cc</c>, <c>sn.onion_request</c>, <c>sn.ping</c>), clients over <c>storage.*</c>, and oxend
/// hearing each node's pings and peer reports.
/// </summary>
public sealed class OxendNetworkTests : IAsyncLifetime
{
    private const int Count = 5;
    private readonly string _directory = Directory.CreateTempSubdirectory("sa-oxend-").FullName;
    private readonly List<TestNode> _nodes = [];
    private SimulatedOxend _oxend = null!;

    public async Task InitializeAsync()
    {
        var keys = Enumerable.Range(0, Count).Select(_ => NodeKeys.FromSeed(Ed25519.Generate().Seed)).ToList();
        _oxend = new SimulatedOxend([.. keys.Select((k, i) => (k, "127.0.0.1", $"ipc://{_directory}/oxend-{i}.sock"))], NullLogger.Instance);
        for (var i = 0; i < Count; i++)
        {
            _nodes.Add(await TestNode.StartAsync(null, $"--Network:OxendRpc=ipc://{_directory}/oxend-{i}.sock", $"--Node:OmqPort={TestNode.FreePort()}", "--Network:RefillWhenEmpty=false"));
        }

        // Each node is listed once its first ping reached oxend; a block makes every node fetch the list again.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!_nodes.All(n => n.Services.GetRequiredService<NodeReadiness>().IsReady && n.Services.GetRequiredService<INetworkViewSource>().Current.Nodes.Count == Count))
        {
            Assert.True(DateTime.UtcNow < deadline, "nodes did not get oxend's full list: " + string.Join("; ", _nodes.Select(n => n.Services.GetRequiredService<NodeReadiness>().Reasons)));
            _oxend.MineBlock();
            await Task.Delay(200);
        }
    }

    [Fact]
    public void Each_node_takes_its_identity_from_oxend()
    {
        Assert.Equal(_oxend.Nodes.Select(n => n.Keys.Ed25519Hex), _nodes.Select(n => n.Keys.Ed25519Hex));
        Assert.All(_oxend.Nodes, n => Assert.True(n.Pings > 0 && n.BlockSubscriptions > 0 && n.Version == "2.8.0"));
    }

    [Fact]
    public async Task A_store_replicates_over_oxenmq_and_every_member_signs_its_entry()
    {
        var session = new AccountSession(_nodes[0]);
        var reply = await _nodes[0].Client.CallAsync("store", session.Requests.Store(0, [1, 2, 3], _nodes[0].NowMs, 600_000));
        Assert.Equal(200, reply.Code);
        var swarm = reply.Json["swarm"]!.AsObject();
        var members = _nodes[0].Services.GetRequiredService<INetworkViewSource>().Current.SwarmOf(session.Keys.Account).Members;
        Assert.Equal(members.Count, swarm.Count);
        Assert.All(swarm, e => Assert.Null(e.Value!["failed"]));

        foreach (var member in members)
        {
            var node = _nodes.Single(n => n.Keys.Ed25519Hex == member.Ed25519Hex);
            var retrieved = await new AccountSession(node, session.Keys).RetrieveAsync(0);
            Assert.Single(retrieved["messages"]!.AsArray());
        }
    }

    [Fact]
    public async Task A_client_over_storage_commands_gets_the_https_answer_in_json_and_in_bt()
    {
        var session = new AccountSession(_nodes[1]);
        var hash = await session.StoreAsync(0, [9, 8, 7]);
        var node = _nodes.First(n => n.Services.GetRequiredService<INetworkViewSource>().Current.SwarmOf(session.Keys.Account).Members.Any(m => m.Ed25519Hex == n.Keys.Ed25519Hex));
        var request = session.Requests.Retrieve(0, node.NowMs);
        var https = await node.Client.CallAsync("retrieve", request);

        var pair = Sodium.PublicKeyBox.GenerateKeyPair();
        using var caller = new OxenMq.OxenMq(new OxenMqOptions { CurvePublicKey = pair.PublicKey, CurveSecretKey = pair.PrivateKey }, NullLogger.Instance);
        caller.Start();
        var peer = Node.Omq.OmqHost.PeerOf(node.Services.GetRequiredService<INetworkViewSource>().Current.Self);
        var json = await caller.RequestAsync(peer, "storage.retrieve", [Encoding.UTF8.GetBytes(request.ToJsonString())], TimeSpan.FromSeconds(10));
        Assert.True(json.Success, json.Reason);
        var overOmq = JsonNode.Parse(json.Parts[0])!;
        Assert.Equal(https.Json["messages"]!.ToJsonString(), overOmq["messages"]!.ToJsonString());

        var bt = await caller.RequestAsync(peer, "storage.retrieve", [BtWriter.Encode(BtJson.RequestFromJson(request))], TimeSpan.FromSeconds(10));
        Assert.True(bt.Success, bt.Reason);
        var message = ((BtDict)BtReader.Parse(bt.Parts[0]))["messages"]!.AsList()![0].AsDict()!;
        Assert.Equal(hash, message["hash"]!.AsUtf8());
        Assert.Equal(new byte[] { 9, 8, 7 }, message["data"]!.AsBytes());

        var refused = await caller.RequestAsync(peer, "sn.ping", [], TimeSpan.FromSeconds(10));
        Assert.Equal(OmqErrors.ForbiddenServiceNode, refused.Reason);
    }

    [Fact]
    public async Task An_onion_request_crosses_oxenmq_hops()
    {
        OnionHop Hop(int i) => new(_nodes[i].Keys.Ed25519.PublicKey, _nodes[i].Keys.X25519PublicKey);
        var onion = OnionRequestBuilder.ToNode([Hop(0), Hop(1), Hop(2)], Hop(3), new JsonObject { ["method"] = "info", ["params"] = new JsonObject() }, OnionCipher.XChaCha20Poly1305);
        var reply = await _nodes[0].Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));
        Assert.Equal(200, reply.Code);
        var opened = onion.OpenNodeReply(reply.Body);
        Assert.NotNull(opened);
        Assert.Equal(200, opened.Value.Status);
        Assert.Contains("\"version\"", opened.Value.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peer_tests_ping_over_oxenmq_and_are_reported_to_oxend()
    {
        var monitor = _nodes[0].Services.GetRequiredService<ReachabilityMonitor>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_oxend.Nodes[0].PeerReportsPassed == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no peer report reached oxend; failed: " + _oxend.Nodes[0].PeerReportsFailed);
            await monitor.TestDueAsync(CancellationToken.None);
            await Task.Delay(100);
        }

        Assert.Equal(0, _oxend.Nodes[0].PeerReportsFailed);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _oxend.Dispose();
    }
}
