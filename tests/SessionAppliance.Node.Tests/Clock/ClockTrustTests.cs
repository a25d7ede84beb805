using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Node.Clock;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Clock;

/// <summary>A board that boots days behind with NTP blocked sets its clock from its peers' signed times.</summary>
public class ClockTrustTests
{
    [Fact]
    public async Task Without_ntp_and_without_peers_the_node_is_not_ready_because_its_clock_is_not_synchronised()
    {
        var timesync = Directory.CreateTempSubdirectory("sa-timesync-").FullName;
        await using var node = await TestNode.StartAsync(null, $"--Node:TimeSyncDirectory={timesync}");
        var readiness = node.Services.GetRequiredService<NodeReadiness>();

        Assert.Equal(ClockTrust.ClockSource.Untrusted, await node.Services.GetRequiredService<ClockTrust>().RefreshAsync(default));

        Assert.Contains(readiness.ReasonList, r => r.StartsWith(ClockTrust.NotSynchronised, StringComparison.Ordinal));
        var reply = await node.Client.CallAsync("info", []);
        Assert.Equal(503, reply.Code);
        Assert.Contains(ClockTrust.NotSynchronised, reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_ntp_a_clock_days_off_is_set_from_the_peers_signed_times()
    {
        var timesync = Directory.CreateTempSubdirectory("sa-timesync-").FullName;
        await using var network = await TestNetwork.StartAsync(4, i => i == 0 ? [$"--Node:TimeSyncDirectory={timesync}"] : []);
        var board = network.Nodes[0];
        var trust = board.Services.GetRequiredService<ClockTrust>();
        var readiness = board.Services.GetRequiredService<NodeReadiness>();
        board.Clock.Offset = -TimeSpan.FromDays(3);

        Assert.Equal(ClockTrust.ClockSource.Peers, await trust.RefreshAsync(default));

        Assert.True(readiness.IsReady, readiness.Reasons);
        var t = (await board.Client.CallAsync("info", [])).Json["t"]!.GetValue<long>();
        Assert.InRange(t - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), -5_000, 5_000);

        // Once NTP has set the system clock, it is the source and the peers' correction goes.
        File.WriteAllText(Path.Combine(timesync, "synchronized"), "");
        Assert.Equal(ClockTrust.ClockSource.Ntp, trust.Assess());
        Assert.Equal(TimeSpan.Zero, board.Services.GetRequiredService<NetworkClock>().Offset);
    }

    [Fact]
    public async Task A_node_whose_own_clock_is_untrusted_does_not_vouch_for_it()
    {
        var timesync = Directory.CreateTempSubdirectory("sa-timesync-").FullName;
        await using var network = await TestNetwork.StartAsync(4, i => [$"--Node:TimeSyncDirectory={timesync}"]);
        var trust = network.Nodes[0].Services.GetRequiredService<ClockTrust>();
        foreach (var node in network.Nodes)
        {
            node.Services.GetRequiredService<ClockTrust>().Assess();
        }

        Assert.Equal(ClockTrust.ClockSource.Untrusted, await trust.RefreshAsync(default));
    }

    [Fact]
    public async Task One_lying_peer_among_three_moves_the_median_no_further_than_the_honest_spread()
    {
        var timesync = Directory.CreateTempSubdirectory("sa-timesync-").FullName;
        await using var node = await TestNode.StartAsync(null, $"--Node:TimeSyncDirectory={timesync}");
        var trust = node.Services.GetRequiredService<ClockTrust>();
        var now = DateTimeOffset.UtcNow;
        var sent = now;
        var received = now.AddMilliseconds(40);
        var midpoint = now.AddMilliseconds(20).ToUnixTimeMilliseconds();

        trust.AddSample("honest-a", sent, received, midpoint + 1_000);
        trust.AddSample("honest-b", sent, received, midpoint + 1_200);
        trust.AddSample("liar", sent, received, midpoint + (long)TimeSpan.FromDays(365).TotalMilliseconds);

        Assert.Equal(ClockTrust.ClockSource.Peers, trust.Assess());
        Assert.InRange(node.Services.GetRequiredService<NetworkClock>().Offset.TotalMilliseconds, 1_000, 1_200);
    }

    [Fact]
    public async Task A_sample_whose_round_trip_took_over_two_seconds_is_not_counted()
    {
        var timesync = Directory.CreateTempSubdirectory("sa-timesync-").FullName;
        await using var node = await TestNode.StartAsync(null, $"--Node:TimeSyncDirectory={timesync}");
        var trust = node.Services.GetRequiredService<ClockTrust>();
        var now = DateTimeOffset.UtcNow;

        foreach (var peer in new[] { "a", "b", "c" })
        {
            trust.AddSample(peer, now, now.AddSeconds(3), now.ToUnixTimeMilliseconds());
        }

        Assert.Equal(ClockTrust.ClockSource.Untrusted, trust.Assess());
    }
}
