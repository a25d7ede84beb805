using System.Text.Json.Nodes;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Bandwidth;

/// <summary>A real node with limits: the bytes of its HTTPS connections (TLS included) reach the governor.</summary>
public sealed class GovernedNodeTests
{
    [Fact]
    public async Task Bytes_on_the_nodes_sockets_are_counted_and_reported_in_health()
    {
        await using var node = await TestNode.StartAsync(null, "--Bandwidth:EgressRate=50 MB/s", "--Bandwidth:MonthlyQuota=500 GB");
        var account = new AccountSession(node);
        await account.StoreAsync(0, new byte[20_000]);

        using var http = new HttpClient();
        var health = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{node.HealthPort}/health"))!;
        var bandwidth = health["bandwidth"]!;

        Assert.True(bandwidth["ingress_bytes"]!.GetValue<long>() > 20_000, bandwidth.ToJsonString());
        Assert.True(bandwidth["egress_bytes"]!.GetValue<long>() > 0, bandwidth.ToJsonString());
        Assert.Equal(500_000_000_000, bandwidth["quota_bytes"]!.GetValue<long>());
    }
}
