using SessionAppliance.Client;
using SessionAppliance.Node.Identity;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Tests.Rpc;

public class MisroutedTests
{
    [Fact]
    public async Task An_account_of_another_swarm_answers_421_with_that_swarm_and_clients_can_follow_it()
    {
        // This node sits in swarm 0; a second (not running) node owns swarm 2^63, the far side of the ring.
        var directory = Directory.CreateTempSubdirectory("sa-421-").FullName;
        var self = NodeIdentityStore.LoadOrCreate(directory);
        var other = Protocol.Crypto.NodeKeys.FromSeed(new byte[32]);
        const ulong OtherSwarm = 1UL << 63;
        await using var node = await TestNode.StartAsync(directory,
            $"--Network:Nodes:0:Ed25519={self.Ed25519Hex}", "--Network:Nodes:0:Ip=127.0.0.1", "--Network:Nodes:0:SwarmId=0",
            $"--Network:Nodes:1:Ed25519={other.Ed25519Hex}", "--Network:Nodes:1:Ip=127.0.0.9", "--Network:Nodes:1:HttpsPort=30009", $"--Network:Nodes:1:SwarmId={OtherSwarm}");
        var (ours, theirs) = (AccountOn(0), AccountOn(OtherSwarm));

        var misrouted = await node.Client.CallAsync("store", new StorageRequests(theirs).Store(0, [1], node.NowMs, 60_000, sign: false));
        var accepted = await node.Client.CallAsync("store", new StorageRequests(ours).Store(0, [1], node.NowMs, 60_000, sign: false));

        Assert.Equal(421, misrouted.Code);
        Assert.Equal(OtherSwarm.ToString("x", System.Globalization.CultureInfo.InvariantCulture), misrouted.Json["swarm"]!.GetValue<string>());
        var snode = Assert.Single(misrouted.Json["snodes"]!.AsArray())!;
        Assert.Equal(other.Ed25519Hex, snode["pubkey_ed25519"]!.GetValue<string>());
        Assert.Equal(("127.0.0.9", "30009"), (snode["ip"]!.GetValue<string>(), snode["port"]!.GetValue<string>()));
        Assert.NotNull(misrouted.Json["t"]);
        Assert.Equal(200, accepted.Code);
    }

    /// <summary>A fresh Session ID whose position on the ring is nearest to <paramref name="swarm"/> of {0, 2^63}.</summary>
    private static AccountKeys AccountOn(ulong swarm)
    {
        while (true)
        {
            var keys = AccountKeys.NewSessionId();
            if (SwarmSpace.NearestSwarm(SwarmSpace.PositionOf(keys.Account), [0, 1UL << 63]) == swarm)
            {
                return keys;
            }
        }
    }
}
