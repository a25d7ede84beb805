using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Swarm;

/// <summary>Peer tests: a peer that answers as itself passes and learns it was reached; a stopped one fails.</summary>
public sealed class ReachabilityTests
{
    [Fact]
    public async Task Peers_that_answer_pass_a_stopped_one_fails_and_the_tested_node_knows_it_was_reached()
    {
        await using var network = await TestNetwork.StartAsync(2);
        var tester = network.Nodes[0].Services.GetRequiredService<ReachabilityMonitor>();
        var tested = network.Nodes[1].Services.GetRequiredService<ReachabilityMonitor>();
        var testedKey = network.Nodes[1].Keys.Ed25519Hex;

        await tester.TestDueAsync(CancellationToken.None);
        Assert.True(tester.Verdicts[testedKey].Reachable);
        Assert.True(tested.SelfReachable());

        await network.Nodes[1].DisposeAsync();
        await tester.TestDueAsync(CancellationToken.None);
        var verdict = tester.Verdicts[testedKey];
        Assert.False(verdict.Reachable);
        Assert.Equal(1, verdict.Failures);
        Assert.NotNull(verdict.Reason);
    }
}
