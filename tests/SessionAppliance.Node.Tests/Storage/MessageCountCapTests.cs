using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>
/// The message-count cap (issue 17, memory): the index costs memory per message whatever the message's size, so
/// the store also stops at the count its memory holds, says so in health, and makes room when messages leave.
/// </summary>
public sealed class MessageCountCapTests
{
    [Fact]
    public void The_default_cap_is_what_half_the_memory_limit_holds()
    {
        // The image on a 512 MB board: MemoryMax=30% of RAM, of which the runtime's limit is 60% (85.5 MiB);
        // on a 4 GB board about 700 MiB.
        Assert.Equal(175_104, StorageCapacity.ResolveMaxMessages(0, 855L * (1L << 20) / 10));
        Assert.Equal(1_433_600, StorageCapacity.ResolveMaxMessages(0, 700L << 20));
        Assert.Equal(5, StorageCapacity.ResolveMaxMessages(5, 700L << 20));
    }

    [Fact]
    public async Task A_store_at_its_message_cap_refuses_reports_it_and_takes_again_after_a_delete()
    {
        await using var node = await TestNode.StartAsync(null, "--Storage:MaxMessages=3");
        var session = new AccountSession(node);
        var hashes = await session.StoreManyAsync(0, 3);

        var refused = await node.Client.CallAsync("store", session.Requests.Store(0, [7, 7], node.NowMs, 600_000));
        using var http = new HttpClient();
        var health = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{node.HealthPort}/health"))!;

        Assert.Equal(200, refused.Code);
        Assert.True(session.OwnEntry(new RpcReplyView(refused.Json))["failed"]!.GetValue<bool>());
        Assert.Contains(health["degraded"]!.AsArray(), d => d!.GetValue<string>().StartsWith("storage full: new messages are refused (3 messages", StringComparison.Ordinal));

        Assert.Equal(200, (await node.Client.CallAsync("delete", session.Requests.Delete([hashes[0]]))).Code);
        var taken = await node.Client.CallAsync("store", session.Requests.Store(0, [7, 7], node.NowMs, 600_000));
        Assert.NotNull(taken.Json["hash"]);
    }
}
