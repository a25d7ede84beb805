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
    private const int Count = 14;
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
        Assert.Equal(2, _nodes[0].Services.GetRequiredService<INetworkViewSource>().Current.Nodes.Select(n => n.SwarmId).Distinct().Count());
        Assert.Equal(_oxend.Nodes.Select(n => n.Keys.Ed25519Hex), _nodes.Select(n => n.Keys.Ed25519Hex));
        Assert.All(_oxend.Nodes, n => Assert.True(n.Pings > 0 && n.BlockSubscriptions > 0 && n.Version == "2.8.0"));
    }

    [Fact]
    public async Task A_store_replicates_over_oxenmq_and_every_member_signs_its_entry()
    {
        var (session, members) = NewAccount(entryIndex: 0);
        var reply = await members[0].Client.CallAsync("store", session.Requests.Store(0, [1, 2, 3], members[0].NowMs, 600_000));
        Assert.Equal(200, reply.Code);
        var swarm = reply.Json["swarm"]!.AsObject();
        Assert.Equal(members.Count, swarm.Count);
        Assert.All(swarm, e => Assert.Null(e.Value!["failed"]));

        foreach (var node in members)
        {
            var retrieved = await new AccountSession(node, session.Keys).RetrieveAsync(0);
            Assert.Single(retrieved["messages"]!.AsArray());
        }
    }

    [Fact]
    public async Task A_delete_replicates_over_oxenmq_to_every_member()
    {
        var (session, members) = NewAccount(entryIndex: 1);
        var hash = await session.StoreAsync(0, [4, 5, 6]);
        var reply = await members[1].Client.CallAsync("delete", session.Requests.Delete([hash]));
        Assert.Equal(200, reply.Code);
        Assert.Equal(members.Count, reply.Json["swarm"]!.AsObject().Count(e => e.Value!["deleted"]?.AsArray().Count == 1));
        foreach (var node in members)
        {
            Assert.Empty((await new AccountSession(node, session.Keys).RetrieveAsync(0))["messages"]!.AsArray());
        }
    }

    [Fact]
    public async Task A_storage_test_from_a_peer_gets_the_data_of_a_message_held_here()
    {
        var (session, members) = NewAccount(entryIndex: 0);
        var hash = await session.StoreAsync(0, [1, 1, 2, 3, 5]);
        var testee = members[^1];
        var tester = members[0].Services.GetRequiredService<Node.Omq.OmqHost>();
        var self = testee.Services.GetRequiredService<INetworkViewSource>().Current.Self;
        Task<OmqReply> Test(string height, byte[] hashBytes) => tester.RequestAsync(self, "sn.storage_test", [Encoding.ASCII.GetBytes(height), hashBytes], TimeSpan.FromSeconds(10), CancellationToken.None);

        var passed = await Test("1234", Convert.FromBase64String(hash + "="));
        Assert.True(passed.Success, passed.Reason);
        Assert.Equal("OK", Encoding.ASCII.GetString(passed.Parts[0]));
        Assert.Equal(new byte[] { 1, 1, 2, 3, 5 }, passed.Parts[1]);
        Assert.Equal("invalid height", Encoding.ASCII.GetString((await Test("0", new byte[32])).Parts[0]));
        Assert.Equal("invalid msg hash", Encoding.ASCII.GetString((await Test("1234", new byte[5])).Parts[0]));
    }

    [Fact]
    public async Task A_push_server_watching_a_member_hears_of_a_store_made_through_another()
    {
        var (session, members) = NewAccount(entryIndex: 0);
        var watched = members[^1];
        using var server = new PushListener();
        var peer = Node.Omq.OmqHost.PeerOf(watched.Services.GetRequiredService<INetworkViewSource>().Current.Self);
        var subscribed = await server.Omq.RequestAsync(peer, "monitor.messages", [BtWriter.Encode(MonitorRequests.Subscribe(session.Keys, [0], wantData: true, watched.NowMs / 1000))], TimeSpan.FromSeconds(10));
        Assert.Equal("d7:successi1ee", Encoding.ASCII.GetString(subscribed.Parts[0]));

        var hash = await session.StoreAsync(0, [42]);
        Assert.True(server.TryNext(TimeSpan.FromSeconds(10), out var push), "no notify.message");
        Assert.Equal(hash, push["h"]!.AsUtf8());
        Assert.Equal(new byte[] { 42 }, push["~"]!.AsBytes());
    }

    [Fact]
    public async Task A_member_without_swarm_push_is_refilled_over_sn_data_as_a_reference_node_would_be()
    {
        var (session, members) = NewAccount(entryIndex: 0);
        await session.StoreAsync(0, [3, 1, 4]);
        await session.StoreAsync(0, [1, 5, 9]);

        // A stand-in for a reference node: OxenMQ only (its HTTPS port answers nothing), and it takes sn.data.
        var received = new System.Collections.Concurrent.ConcurrentBag<Node.Storage.StoredMessage>();
        var pair = Sodium.PublicKeyBox.GenerateKeyPair();
        using var reference = new OxenMq.OxenMq(new OxenMqOptions { CurvePublicKey = pair.PublicKey, CurveSecretKey = pair.PrivateKey }, NullLogger.Instance);
        reference.AddCategory("sn", new Access(AuthLevel.None));
        reference.AddRequestCommand("sn", "data", m =>
        {
            foreach (var message in ReplicationBatch.Decode(m.Parts[0]) ?? [])
            {
                received.Add(message);
            }

            return Task.FromResult<IReadOnlyList<byte[]>?>([]);
        });
        var omqPort = TestNode.FreePort();
        reference.Listen($"tcp://127.0.0.1:{omqPort}", curve: true);
        reference.Start();
        var swarmId = members[0].Services.GetRequiredService<INetworkViewSource>().Current.Self.SwarmId;
        var stranger = new Protocol.Swarm.ServiceNode(Ed25519.Generate().PublicKey, pair.PublicKey, "127.0.0.1", TestNode.FreePort(), omqPort, swarmId);

        foreach (var member in members)
        {
            await member.Services.GetRequiredService<SwarmResync>().RefillAsync(stranger, CancellationToken.None);
        }

        Assert.Equal(2, received.Where(m => m.Owner.Equals(session.Keys.Account)).Select(m => m.Hash).Distinct().Count());
    }

    /// <summary>A new account, and its swarm's nodes: the session stores through the member at <paramref name="entryIndex"/>.</summary>
    private (AccountSession Session, List<TestNode> Members) NewAccount(int entryIndex)
    {
        var keys = AccountKeys.NewSessionId();
        var members = MembersOf(keys.Account);
        return (new AccountSession(members[entryIndex], keys), members);
    }

    private List<TestNode> MembersOf(Protocol.Accounts.AccountId account) =>
        [.. _nodes[0].Services.GetRequiredService<INetworkViewSource>().Current.SwarmOf(account).Members.Select(m => _nodes.Single(n => n.Keys.Ed25519Hex == m.Ed25519Hex))];

    [Fact]
    public async Task A_client_over_storage_commands_gets_the_https_answer_in_json_and_in_bt()
    {
        var (session, members) = NewAccount(entryIndex: 0);
        var hash = await session.StoreAsync(0, [9, 8, 7]);
        var node = members[^1];
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
