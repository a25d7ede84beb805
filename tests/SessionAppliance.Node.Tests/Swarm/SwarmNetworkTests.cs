using System.Text;
using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Client.Onion;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Onion;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Tests.Swarm;

/// <summary>
/// A network of our own, end to end: 15 nodes (two swarms) from one seed; messages stored as a client does it,
/// through 3-hop onions to an entry node outside the recipient's swarm, following the 421; read back from another
/// member; still all there after a member stops; and moved to their new owners when added nodes form a third swarm.
/// </summary>
public sealed class SwarmNetworkTests
{
    private const int Recipients = 6;

    [Fact]
    public async Task Messages_live_on_every_member_survive_a_member_stopping_and_follow_a_new_swarm()
    {
        await using var network = await SeededNetwork.StartAsync(15);
        await network.WaitForAgreementAsync();
        var view = SeededNetwork.ViewOf(network.Seed);
        Assert.Equal(2, view.Nodes.Select(n => n.SwarmId).Distinct().Count());

        var recipients = Enumerable.Range(0, Recipients).Select(_ => new StorageRequests(AccountKeys.NewSessionId())).ToArray();
        var stored = new List<(StorageRequests Account, string Hash)>();
        foreach (var recipient in recipients)
        {
            var (hash, takenBy) = await StoreLikeAClientAsync(network, recipient);
            stored.Add((recipient, hash));

            // Read back from a member other than the one that took the store.
            var other = MembersOf(network, recipient.Keys.Account).First(m => m.Keys.Ed25519Hex != takenBy);
            Assert.Contains(hash, (await HashesAtAsync(other, recipient))!);
        }

        // One member of the first recipient's swarm stops (15 → 14 nodes, still two swarms); every member of each
        // recipient's swarm, old or newly joined, has its message, from the start or from the resync.
        var stopped = MembersOf(network, stored[0].Account.Keys.Account).First(n => n != network.Seed);
        await stopped.DisposeAsync();
        network.Nodes.Remove(stopped);
        await network.WaitForAgreementAsync();
        Assert.Equal(2, SeededNetwork.ViewOf(network.Seed).Nodes.Select(n => n.SwarmId).Distinct().Count());
        await AssertOnEveryMemberAsync(network, stored);

        // 14 + 7 = 21 nodes: a third swarm forms and the messages it now owns move to it.
        await network.AddAsync(7);
        await network.WaitForAgreementAsync();
        Assert.Equal(3, SeededNetwork.ViewOf(network.Seed).Nodes.Select(n => n.SwarmId).Distinct().Count());
        await AssertOnEveryMemberAsync(network, stored);
    }

    private static async Task AssertOnEveryMemberAsync(SeededNetwork network, List<(StorageRequests Account, string Hash)> stored)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var (account, hash) in stored)
        {
            foreach (var member in MembersOf(network, account.Keys.Account))
            {
                // A member can be briefly not ready (503) while a busy machine delays its re-registration with the
                // seed; that is a state to wait out, not a failure.
                while (await HashesAtAsync(member, account, allowNotReady: true) is not { } hashes || !hashes.Contains(hash))
                {
                    Assert.True(DateTime.UtcNow < deadline, $"message of {account.Keys.Account.Hex} never reached {member.Keys.Ed25519Hex}");
                    await Task.Delay(200);
                }
            }
        }
    }

    [Fact]
    public async Task A_peer_that_hangs_answers_garbage_or_is_not_who_it_claims_is_reported_per_peer_without_blocking()
    {
        // A fixed list, so the stand-ins keep the listed identities of the nodes whose ports they take over.
        await using var network = await TestNetwork.StartAsync(7);
        var victims = network.Nodes.Skip(1).Take(3).ToList();
        var victimKeys = victims.Select(v => v.Keys.Ed25519Hex).ToList();
        var standIns = new List<MisbehavingPeer>();
        foreach (var (victim, behaviour) in victims.Zip([MisbehavingPeer.Behaviour.Hang, MisbehavingPeer.Behaviour.Garbage, MisbehavingPeer.Behaviour.WrongKey]))
        {
            await victim.DisposeAsync();
            standIns.Add(await MisbehavingPeer.StartAsync(victim.Port, behaviour, victimKeys[standIns.Count]));
        }

        try
        {
            var account = new StorageRequests(AccountKeys.NewSessionId());
            // Answered at all (not the client's own timeout) with the hanging peer marked "timeout": the node gave
            // up on it rather than waiting. No wall-clock bound is asserted; a busy CI machine is slow.
            var reply = await network.Nodes[0].Client.CallAsync("store", account.Store(0, [1, 2, 3], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 60_000, sign: false));

            Assert.Equal(200, reply.Code);
            var swarm = reply.Json["swarm"]!.AsObject();
            Assert.Equal(7, swarm.Count);
            Assert.True(swarm[victimKeys[0]]!["timeout"]!.GetValue<bool>());
            Assert.True(swarm[victimKeys[1]]!["bad_peer_response"]!.GetValue<bool>());
            Assert.True(swarm[victimKeys[2]]!["bad_peer_response"]!.GetValue<bool>());
            Assert.Equal(4, swarm.Count(e => e.Value!["failed"] is null));
        }
        finally
        {
            foreach (var standIn in standIns)
            {
                await standIn.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_client_cannot_pose_as_a_swarm_peer()
    {
        await using var network = await TestNetwork.StartAsync(5);
        var account = new StorageRequests(AccountKeys.NewSessionId());
        var body = new JsonObject { ["method"] = "store", ["params"] = account.Store(0, [9], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 60_000, sign: false) }.ToJsonString();

        var unsigned = await network.Nodes[0].Client.PostAsync("/swarm_rpc/v1", body);
        var forged = await network.Nodes[0].Client.PostAsync("/swarm_rpc/v1", body, customise: r =>
        {
            r.Headers.Add("X-SA-Node", network.Nodes[1].Keys.Ed25519Hex);
            r.Headers.Add("X-SA-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            r.Headers.Add("X-SA-Signature", Convert.ToBase64String(new byte[64]));
        });

        Assert.Equal(401, unsigned.Code);
        Assert.Equal(401, forged.Code);
        Assert.Equal("peer request signature verification failed", forged.Body);
    }

    /// <summary>As Session clients do: an onion to a node outside the swarm, then to a member named by its 421.</summary>
    private static async Task<(string Hash, string TakenBy)> StoreLikeAClientAsync(SeededNetwork network, StorageRequests recipient)
    {
        var view = SeededNetwork.ViewOf(network.Seed);
        var swarm = view.SwarmOf(recipient.Keys.Account);
        var outside = view.Nodes.Where(n => n.SwarmId != swarm.SwarmId).ToList();
        var entry = outside[0];
        var path = view.Nodes.Where(n => n != entry).Take(3).Select(OnionHop.Of).ToArray();
        var rpc = new JsonObject { ["method"] = "store", ["params"] = recipient.Store(0, Encoding.UTF8.GetBytes("hello " + recipient.Keys.Account.Hex), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 3_600_000, sign: false) };

        var (status, body) = await SendOnionAsync(network, path, entry, rpc);
        Assert.Equal(421, status);
        var member = JsonNode.Parse(body)!["snodes"]!.AsArray()[1]!["pubkey_ed25519"]!.GetValue<string>();
        var target = view.FindByEd25519(HexText.Decode(member))!;

        (status, body) = await SendOnionAsync(network, path, target, rpc);
        Assert.Equal(200, status);
        var entries = JsonNode.Parse(body)!["swarm"]!.AsObject();
        Assert.Equal(swarm.Members.Count, entries.Count);
        Assert.All(entries, e => Assert.Null(e.Value!["failed"]));
        return (entries[target.Ed25519Hex]!["hash"]!.GetValue<string>(), target.Ed25519Hex);
    }

    private static async Task<(int Status, string Body)> SendOnionAsync(SeededNetwork network, OnionHop[] path, ServiceNode destination, JsonObject rpc)
    {
        var onion = OnionRequestBuilder.ToNode(path, OnionHop.Of(destination), rpc, OnionCipher.AesGcm);
        var guard = network.Nodes.First(n => n.Keys.Ed25519Hex == HexText.Encode(path[0].Ed25519));
        var reply = await guard.Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));
        Assert.Equal(200, reply.Code);
        return onion.OpenNodeReply(reply.Body) ?? throw new InvalidOperationException("onion reply did not open: " + reply.Body);
    }

    private static List<TestNode> MembersOf(SeededNetwork network, AccountId account)
    {
        var swarm = SeededNetwork.ViewOf(network.Seed).SwarmOf(account);
        return [.. network.Nodes.Where(n => swarm.Members.Any(m => m.Ed25519Hex == n.Keys.Ed25519Hex))];
    }

    private static async Task<List<string>?> HashesAtAsync(TestNode node, StorageRequests account, bool allowNotReady = false)
    {
        var reply = await node.Client.CallAsync("retrieve", account.Retrieve(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        if (allowNotReady && reply.Code == 503)
        {
            return null;
        }

        Assert.True(reply.Code == 200, $"retrieve at {node.Keys.Ed25519Hex}: {reply.Code} {reply.Body}");
        return [.. reply.Json["messages"]!.AsArray().Select(m => m!["hash"]!.GetValue<string>())];
    }
}
