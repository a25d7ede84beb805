using SessionAppliance.Client;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>
/// A real full disk: the node runs on a small tmpfs of its own (a mount namespace from unshare, so no root is
/// needed) with a ballast file. It must refuse with the reason and never hang, recover by itself once the
/// ballast goes, and keep every message it acknowledged.
/// </summary>
[Trait("Category", NodeProcess.Category)]
public class DiskFullTests
{
    private const int MessageBytes = 60_000;

    [Fact]
    public async Task A_full_disk_is_refused_with_its_reason_and_survived_without_a_restart_or_a_lost_message()
    {
        var data = Directory.CreateTempSubdirectory("sa-full-").FullName;
        var mount = $"mount -t tmpfs -o size=8m tmpfs '{data}' && echo '{{}}' > '{data}/none.json' && head -c 3000000 /dev/zero > '{data}/ballast' && exec \"$0\" \"$@\"";
        using var node = await NodeProcess.StartAsync(data, TestNode.FreePort(),
            environment: new Dictionary<string, string> { ["SESSION_APPLIANCE_Storage__CapacityBytes"] = "1073741824" },
            launcher: ["unshare", "--map-root-user", "--mount", "sh", "-c", mount]);
        var account = new StorageRequests(AccountKeys.NewSessionId());

        // Fill the card. Every answer comes back (the client gives up after 10 s): a refusal, never a hang.
        var acknowledged = new List<string>();
        RpcReply reply;
        for (var i = 0; ; i++)
        {
            reply = await node.Client.CallAsync("store", account.Store(0, Payload(i), Now, 3_600_000, sign: false));
            if (reply.Code != 200 || reply.Json["hash"] is null)
            {
                break;
            }

            acknowledged.Add(reply.Json["hash"]!.GetValue<string>());
            Assert.True(i < 200, "an 8 MiB disk took 200 messages of 60 KB");
        }

        Assert.True(reply.Code is 507 or 503, $"{reply.Code} {reply.Body}");
        Assert.Contains("disk full", reply.Body, StringComparison.Ordinal);
        var refused = await PollAsync(node, account, expectStored: false);
        Assert.Equal(503, refused.Code);
        Assert.StartsWith("Service node is not ready: disk full", refused.Body, StringComparison.Ordinal);

        // Room again, from outside its mount namespace: the node reopens its store by itself.
        File.Delete($"/proc/{node.ProcessId}/root{data}/ballast");
        await PollAsync(node, account, expectStored: true);

        Assert.Subset(await AllHashesAsync(node, account), acknowledged.ToHashSet());
        Assert.NotEmpty(acknowledged);
    }

    private static async Task<RpcReply> PollAsync(NodeProcess node, StorageRequests account, bool expectStored)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(250))
        {
            var reply = await node.Client.CallAsync("store", account.Store(0, Payload(Random.Shared.Next()), Now, 3_600_000, sign: false));
            if ((reply.Code == 200) == expectStored && (expectStored || reply.Code == 503))
            {
                return reply;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {(expectStored ? "recovery" : "refusal")} within 60 s: {reply.Code} {reply.Body}");
        }
    }

    /// <summary>Every message of the account, page by page (a retrieve answers a few MB at most).</summary>
    private static async Task<HashSet<string>> AllHashesAsync(NodeProcess node, StorageRequests account)
    {
        var hashes = new HashSet<string>();
        string? last = null;
        while (true)
        {
            var page = (await node.Client.CallAsync("retrieve", account.Retrieve(0, Now, lastHash: last))).Json;
            var messages = page["messages"]!.AsArray().Select(m => m!["hash"]!.GetValue<string>()).ToList();
            hashes.UnionWith(messages);
            if (!page["more"]!.GetValue<bool>() || messages.Count == 0)
            {
                return hashes;
            }

            last = messages[^1];
        }
    }

    private static byte[] Payload(int i)
    {
        var data = new byte[MessageBytes];
        new Random(i).NextBytes(data);
        return data;
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
