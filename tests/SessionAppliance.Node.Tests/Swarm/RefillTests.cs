using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Client;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Swarm;

/// <summary>A member that comes back with its key but an empty store gets its swarm's messages from its peers.</summary>
public class RefillTests
{
    [Fact]
    public async Task A_member_restarted_with_an_empty_store_is_refilled_by_its_swarm_each_message_sent_once()
    {
        await using var network = await TestNetwork.StartAsync(3);
        var accounts = Enumerable.Range(0, 8).Select(_ => new StorageRequests(AccountKeys.NewSessionId())).ToList();
        var hashes = new List<string>();
        foreach (var account in accounts)
        {
            for (var i = 0; i < 3; i++)
            {
                var reply = await network.Nodes[0].Client.CallAsync("store", account.Store(0, [(byte)i, 1, 2], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 600_000, sign: false));
                hashes.Add(reply.Json["hash"]!.GetValue<string>());
            }
        }

        // The card is lost: the key stays, the store goes (as after --recover-store or on a new card).
        var pushedBefore = PushedBy(network);
        await network.RestartAsync(2, directory =>
        {
            foreach (var file in Directory.GetFiles(directory, "messages*"))
            {
                File.Delete(file);
            }
        }, "--Network:RefillWhenEmpty=true");

        var refilled = network.Nodes[2].Services.GetRequiredService<IMessageStore>();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); refilled.Statistics().MessageCount < hashes.Count; await Task.Delay(200))
        {
            Assert.True(DateTime.UtcNow < deadline, $"refilled {refilled.Statistics().MessageCount} of {hashes.Count} messages; " +
                $"not ready: {network.Nodes[2].Services.GetRequiredService<SessionAppliance.Node.Hosting.NodeReadiness>().Reasons}");
        }

        var held = accounts.SelectMany(a => refilled.MessagesOf(a.Keys.Account)).Select(m => m.Hash).ToHashSet();
        Assert.Subset(held, hashes.ToHashSet());
        Assert.Equal(hashes.Count, PushedBy(network) - pushedBefore);
    }

    private static long PushedBy(TestNetwork network) => network.Nodes.Take(2).Sum(n => n.Services.GetRequiredService<SwarmResync>().Pushed.Messages);
}
