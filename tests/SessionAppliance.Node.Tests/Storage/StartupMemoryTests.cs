using System.Security.Cryptography;
using SessionAppliance.Client;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>
/// A store larger than the runtime's memory limit still opens (issue 18): the start-up scan that rebuilds the
/// index used to read every pack in one LiteDB query, whose transaction held every page it read, so a node with
/// more messages than its heap limit died "Out of memory." before it was ready. Then, under Native AOT, a store of
/// two thirds of the cap died the same way while the GC kept the scan's garbage committed (IndexScan.CollectIfNearLimit).
/// </summary>
[Trait("Category", NodeProcess.Category)]
public sealed class StartupMemoryTests
{
    private const long HeapLimitBytes = 48L << 20;

    /// <summary>As many as the node lets a 48 MiB heap hold (98,304 of 1 KB: a file of about 115 MB).</summary>
    private static readonly int Messages = (int)StorageCapacity.ResolveMaxMessages(0, HeapLimitBytes);

    [Fact]
    public async Task A_store_at_its_message_cap_opens_under_a_48_MiB_heap_limit_and_serves_its_messages()
    {
        var data = Directory.CreateTempSubdirectory("sa-startup-memory-").FullName;
        try
        {
            var port = TestNode.FreePort();
            // A first start makes the key, certificate and store marker; the messages are put in while it is down.
            (await NodeProcess.StartAsync(data, port)).Dispose();

            var owner = AccountKeys.NewSessionId();
            var hashes = await FillAsync(Path.Combine(data, "messages.db"), owner.Account);
            // As after a power cut: no snapshot of the index, so the start scans every pack (the costly path).
            File.Delete(IndexSnapshot.PathOf(Path.Combine(data, "messages.db")));

            using var node = await NodeProcess.StartAsync(data, port, environment: new Dictionary<string, string>
            {
                // Hex without "0x": Native AOT ignores a prefixed value.
                ["DOTNET_GCHeapHardLimit"] = HeapLimitBytes.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
            });

            var reply = await node.Client.CallAsync("retrieve", new StorageRequests(owner).Retrieve(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            Assert.Equal(200, reply.Code);
            var retrieved = reply.Json["messages"]!.AsArray().Select(m => m!["hash"]!.GetValue<string>()).ToList();
            Assert.NotEmpty(retrieved);
            Assert.Subset(hashes.ToHashSet(), retrieved.ToHashSet());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<List<string>> FillAsync(string path, AccountId owner)
    {
        var store = new LiteDbMessageStore(path, new StorageOptions(), TimeProvider.System);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var messages = Enumerable.Range(0, Messages).Select(i =>
        {
            var data = RandomNumberGenerator.GetBytes(1_000);
            return new StoredMessage(owner, 0, MessageHash.Compute(owner, 0, data), now - i, now + 3_600_000, data);
        }).ToList();
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (message, _) => await store.StoreAsync(message, false, CancellationToken.None));
        await store.DisposeAsync();
        return [.. messages.Select(m => m.Hash)];
    }
}
