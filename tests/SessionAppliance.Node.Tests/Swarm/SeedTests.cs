using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using SessionAppliance.Node.Identity;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Swarm;

/// <summary>Our seed role: nodes register, everyone reads the same list and computes the same swarm map.</summary>
public sealed class SeedTests
{
    [Fact]
    public async Task Nodes_register_with_the_seed_and_agree_on_the_swarm_map()
    {
        await using var network = await SeededNetwork.StartAsync(8);
        await network.WaitForAgreementAsync();

        // Session Desktop's bootstrap request and the fields it reads (spec §8).
        var reply = await network.Seed.Client.PostAsync("/json_rpc", """{"method":"get_n_service_nodes","params":{"active_only":true,"fields":{"public_ip":true,"storage_port":true,"pubkey_ed25519":true,"pubkey_x25519":true,"requested_unlock_height":true}}}""");
        Assert.Equal(200, reply.Code);
        Assert.Equal("application/json", reply.ContentType);
        var states = JsonNode.Parse(reply.Body)!["result"]!["service_node_states"]!.AsArray();
        Assert.Equal(8, states.Count);
        Assert.All(states, s => Assert.Equal(["pubkey_ed25519", "pubkey_x25519", "public_ip", "requested_unlock_height", "storage_port"], s!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)));
        Assert.Single(SeededNetwork.ViewOf(network.Nodes[3]).Nodes.Select(n => n.SwarmId).Distinct());
    }

    [Fact]
    public async Task A_registration_with_a_bad_signature_or_an_unreachable_address_is_refused()
    {
        await using var network = await SeededNetwork.StartAsync(1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var forged = $$$"""{"method":"{{{NodeListClient.RegisterMethod}}}","params":{"pubkey_ed25519":"{{{network.Seed.Keys.Ed25519Hex.Replace('a', 'b')}}}","public_ip":"127.0.0.1","storage_port":1,"storage_lmq_port":0,"timestamp":{{{now}}},"signature":"AAAA"}}""";
        var reply = JsonNode.Parse((await network.Seed.Client.PostAsync("/json_rpc", forged)).Body)!;
        Assert.Equal("registration signature verification failed", reply["error"]!["message"]!.GetValue<string>());

        var garbage = JsonNode.Parse((await network.Seed.Client.PostAsync("/json_rpc", "[1,2")).Body)!;
        Assert.Equal(-32700, garbage["error"]!["code"]!.GetValue<int>());
        Assert.Single(SeededNetwork.ViewOf(network.Seed).Nodes);
    }

    [Fact]
    public async Task With_oxend_as_the_source_its_swarm_ids_are_taken_as_given()
    {
        // Ids no SwarmMap would produce, so adopting them cannot be mistaken for recomputing them.
        var directory = Directory.CreateTempSubdirectory("sa-node-").FullName;
        var self = NodeIdentityStore.LoadOrCreate(directory);
        var other = NodeKeys.FromSeed(Sodium.SodiumCore.GetRandomBytes(32));
        var states = new JsonArray(
            State(self, 1234),
            State(other, 99_999));
        var oxend = WebApplication.CreateSlimBuilder();
        oxend.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        await using var stub = oxend.Build();
        stub.MapPost("/json_rpc", () => Results.Text(new JsonObject { ["result"] = new JsonObject { ["service_node_states"] = states.DeepClone(), ["height"] = 77 } }.ToJsonString(), "application/json"));
        await stub.StartAsync();
        var url = stub.Urls.First() + "/";

        await using var node = await TestNode.StartAsync(directory, $"--Network:OxendUrl={url}", "--Network:RefreshInterval=00:00:01");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (SeededNetwork.ViewOf(node).Height != 77)
        {
            Assert.True(DateTime.UtcNow < deadline, "the node never read oxend's list");
            await Task.Delay(100);
        }

        var view = SeededNetwork.ViewOf(node);
        Assert.Equal(1234UL, view.Self.SwarmId);
        Assert.Equal([1234UL, 99_999UL], view.Nodes.Select(n => n.SwarmId).Order());
    }

    private static JsonObject State(NodeKeys keys, ulong swarm) => new()
    {
        ["pubkey_ed25519"] = keys.Ed25519Hex,
        ["pubkey_x25519"] = keys.X25519Hex,
        ["public_ip"] = "127.0.0.1",
        ["storage_port"] = 1,
        ["storage_lmq_port"] = 0,
        ["swarm_id"] = swarm,
    };

    [Fact]
    public async Task A_seed_that_goes_down_does_not_stop_a_node_that_already_has_a_list()
    {
        var network = await SeededNetwork.StartAsync(6);
        try
        {
            await network.WaitForAgreementAsync();
            var node = network.Nodes[1];
            var before = NodeList.MapDigest(SeededNetwork.ViewOf(node));
            await network.Seed.DisposeAsync();
            network.Nodes.Remove(network.Seed);
            await Task.Delay(TimeSpan.FromSeconds(3));

            Assert.Equal(before, NodeList.MapDigest(SeededNetwork.ViewOf(node)));
            Assert.Equal(200, (await node.Client.PostAsync("/storage_rpc/v1", """{"method":"info","params":{}}""")).Code);
        }
        finally
        {
            await network.DisposeAsync();
        }
    }
}
