using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Client;
using SessionAppliance.Node.Bandwidth;
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
        // A sender counts a batch once its answer is back, which can be just after the receiver has stored it.
        for (var deadline = DateTime.UtcNow.AddSeconds(60); refilled.Statistics().MessageCount < hashes.Count || PushedBy(network) - pushedBefore < hashes.Count; await Task.Delay(200))
        {
            Assert.True(DateTime.UtcNow < deadline, $"refilled {refilled.Statistics().MessageCount} of {hashes.Count} messages; " +
                $"not ready: {network.Nodes[2].Services.GetRequiredService<SessionAppliance.Node.Hosting.NodeReadiness>().Reasons}");
        }

        var held = accounts.SelectMany(a => refilled.MessagesOf(a.Keys.Account)).Select(m => m.Hash).ToHashSet();
        Assert.Subset(held, hashes.ToHashSet());
        Assert.Equal(hashes.Count, PushedBy(network) - pushedBefore);
    }

    [Fact]
    public async Task A_refill_waits_while_its_senders_hibernate_and_goes_through_once_a_new_quota_period_begins()
    {
        // The senders' quota period ends within 4 days (the next midnight at least an hour away, or the 1st when that
        // day is the 28th or later); the messages live 10 days, so they are still sent once the clocks pass that end.
        var soon = DateTime.Now.AddHours(1);
        var periodStartDay = soon.Day < 28 ? soon.Day + 1 : 1;
        await using var network = await TestNetwork.StartAsync(3, i => i < 2
            ? ["--Bandwidth:MonthlyQuota=1 TB", "--Bandwidth:Policy=Hibernate", $"--Bandwidth:PeriodStartDay={periodStartDay}", "--Logging:LogLevel:SessionAppliance.Node.Swarm=Information"]
            : []);
        var accounts = Enumerable.Range(0, 8).Select(_ => new StorageRequests(AccountKeys.NewSessionId())).ToList();
        foreach (var account in accounts)
        {
            var reply = await network.Nodes[0].Client.CallAsync("store", account.Store(0, [1, 2, 3], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), (long)TimeSpan.FromDays(10).TotalMilliseconds, sign: false));
            Assert.Equal(200, reply.Code);
        }

        // Both senders are down to their last 1% of the quota: they hibernate, which holds back the refill class.
        var logs = network.Nodes.Take(2).Select(LogCapture.AttachTo).ToList();
        foreach (var sender in network.Nodes.Take(2))
        {
            var governor = sender.Services.GetRequiredService<BandwidthGovernor>();
            governor.Reserve(Direction.Egress, 995_000_000_000);
            Assert.NotNull(governor.Refusal(TrafficClass.Refill));
            Assert.Null(governor.Refusal(TrafficClass.Swarm));
        }

        var pushedBefore = PushedBy(network);
        await network.RestartAsync(2, directory => Array.ForEach(Directory.GetFiles(directory, "messages*"), File.Delete), "--Network:RefillWhenEmpty=true");
        var refilled = network.Nodes[2].Services.GetRequiredService<IMessageStore>();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !logs.Any(l => l.Lines.Any(line => line.Contains("paused: bandwidth quota nearly used", StringComparison.Ordinal))); await Task.Delay(200))
        {
            Assert.True(refilled.Statistics().MessageCount == 0, "node 2 was refilled while its senders hibernate");
            Assert.True(DateTime.UtcNow < deadline, "no sender paused the refill");
        }

        Assert.Equal(0, refilled.Statistics().MessageCount);
        Assert.Equal(pushedBefore, PushedBy(network));

        // A new period gives the quota back: the paused senders go on by themselves.
        var periodEnd = DateTime.Parse(network.Nodes[0].Services.GetRequiredService<BandwidthGovernor>().Status()["period_end"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var shift = periodEnd.AddMinutes(1) - DateTime.Now;
        Assert.InRange(shift, TimeSpan.Zero, TimeSpan.FromDays(5));
        foreach (var node in network.Nodes)
        {
            node.Clock.Offset = shift;
        }

        for (var deadline = DateTime.UtcNow.AddSeconds(60); refilled.Statistics().MessageCount < accounts.Count || PushedBy(network) - pushedBefore < accounts.Count; await Task.Delay(200))
        {
            Assert.True(DateTime.UtcNow < deadline, $"refilled {refilled.Statistics().MessageCount} of {accounts.Count} messages after the new period");
        }

        Assert.Contains(logs.SelectMany(l => l.Lines), line => line.Contains("Refill of node", StringComparison.Ordinal) && line.Contains("resumed", StringComparison.Ordinal));
        Assert.Equal(accounts.Count, PushedBy(network) - pushedBefore);
    }

    private static long PushedBy(TestNetwork network) => network.Nodes.Take(2).Sum(n => n.Services.GetRequiredService<SwarmResync>().Pushed.Messages);
}
