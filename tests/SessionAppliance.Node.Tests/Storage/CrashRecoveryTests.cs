using System.Collections.Concurrent;
using SessionAppliance.Client;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>
/// A real node process stores under load and is killed with SIGKILL at a random moment; after a restart every
/// store it acknowledged must be retrievable. 20 rounds on the same data directory.
/// </summary>
[Trait("Category", NodeProcess.Category)]
public sealed class CrashRecoveryTests
{
    private const int Rounds = 20;
    private const int Writers = 16;

    [Fact]
    public async Task Every_acknowledged_store_survives_kill_9_at_random_moments()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("sa-crash-").FullName;
        var port = TestNode.FreePort();
        var accounts = Enumerable.Range(0, 4).Select(_ => new StorageRequests(AccountKeys.NewSessionId())).ToArray();
        var acknowledged = new ConcurrentDictionary<string, int>();
        var random = new Random(20261123);
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                using var node = await NodeProcess.StartAsync(dataDirectory, port, Writers);
                await AssertAllPresentAsync(node.Client, accounts, acknowledged, round);

                using var stop = new CancellationTokenSource();
                var load = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => StoreUntilKilledAsync(node.Client, accounts[w % accounts.Length], acknowledged, stop.Token)));
                await Task.Delay(random.Next(50, 400));
                node.Kill();
                await stop.CancelAsync();
                await load;
            }

            using var last = await NodeProcess.StartAsync(dataDirectory, port, Writers);
            await AssertAllPresentAsync(last.Client, accounts, acknowledged, Rounds);
            Assert.True(acknowledged.Count > Rounds * 10, $"only {acknowledged.Count} stores were acknowledged in {Rounds} rounds");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task StoreUntilKilledAsync(NodeRpcClient client, StorageRequests account, ConcurrentDictionary<string, int> acknowledged, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var reply = await client.CallAsync("store", account.Store(0, Guid.NewGuid().ToByteArray(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 3_600_000), stop);
                if (reply.Code == 200)
                {
                    acknowledged[reply.Json["hash"]!.GetValue<string>()] = 0;
                }
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException or IOException)
            {
                // The node died mid-request: that store was never acknowledged.
                return;
            }
        }
    }

    private static async Task AssertAllPresentAsync(NodeRpcClient client, StorageRequests[] accounts, ConcurrentDictionary<string, int> acknowledged, int round)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            var reply = await client.CallAsync("retrieve", account.Retrieve(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            Assert.Equal(200, reply.Code);
            foreach (var message in reply.Json["messages"]!.AsArray())
            {
                present.Add(message!["hash"]!.GetValue<string>());
            }
        }

        var missing = acknowledged.Keys.Where(hash => !present.Contains(hash)).ToList();
        Assert.True(missing.Count == 0, $"after kill {round}: {missing.Count} of {acknowledged.Count} acknowledged stores are missing");
    }
}
