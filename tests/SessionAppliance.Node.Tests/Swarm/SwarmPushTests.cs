using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Client;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Tests.Swarm;

/// <summary>What a listed node may hand over on a swarm change, and what it may not plant.</summary>
public sealed class SwarmPushTests
{
    [Fact]
    public async Task A_push_stores_live_messages_and_refuses_planted_or_forged_ones()
    {
        await using var network = await TestNetwork.StartAsync(2);
        var owner = AccountKeys.NewSessionId().Account;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        StoredMessage Message(string text, long expiry)
        {
            var data = System.Text.Encoding.UTF8.GetBytes(text);
            return new StoredMessage(owner, 0, MessageHash.Compute(owner, 0, data), now, expiry, data);
        }

        var batch = MessagePushBatch.Encode([Message("live", now + 3_600_000), Message("forever", now + 400L * 24 * 3_600_000)]);
        var peers = network.Nodes[0].Services.GetRequiredService<PeerChannel>();
        var target = SeededNetwork.ViewOf(network.Nodes[1]).Self;

        var reply = await peers.PostAsync(target, SwarmPushEndpoint.Path, batch, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.True(reply.Authentic);
        var answer = JsonNode.Parse(reply.Body)!;
        Assert.Equal(1, answer["stored"]!.GetValue<int>());
        Assert.Equal(1, answer["refused_invalid"]!.GetValue<int>());

        // A message whose hash does not match its content refuses the whole batch.
        var forged = MessagePushBatch.Encode([Message("live", now + 3_600_000) with { Data = [1, 2, 3] }]);
        Assert.Equal(400, (await peers.PostAsync(target, SwarmPushEndpoint.Path, forged, TimeSpan.FromSeconds(10), CancellationToken.None)).Status);
        Assert.Single(network.Nodes[1].Services.GetRequiredService<IMessageStore>().MessagesOf(owner));
    }
}
