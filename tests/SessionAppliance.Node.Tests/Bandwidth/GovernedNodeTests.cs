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

    [Fact]
    public async Task Without_any_limit_the_bytes_are_still_counted_for_the_operator()
    {
        await using var node = await TestNode.StartAsync(null);
        var account = new AccountSession(node);
        await account.StoreAsync(0, new byte[20_000]);

        using var http = new HttpClient();
        var health = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{node.HealthPort}/health"))!;

        Assert.True(health["bandwidth"]!["ingress_bytes"]!.GetValue<long>() > 20_000, health["bandwidth"]!.ToJsonString());
        Assert.Null(health["bandwidth"]!["ingress_rate"]);
    }

    [Fact]
    public async Task Health_reports_requests_by_class_messages_and_the_version_for_the_console()
    {
        await using var node = await TestNode.StartAsync(null, "--Bandwidth:Schedule:0:From=18:00", "--Bandwidth:Schedule:0:To=23:00", "--Bandwidth:Schedule:0:Rate=1 MB/s");
        var account = new AccountSession(node);
        await account.StoreAsync(0, new byte[100]);
        await account.StoreAsync(0, new byte[101]);

        using var http = new HttpClient();
        var health = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{node.HealthPort}/health"))!;

        Assert.Equal(2, health["requests"]!["store"]!.GetValue<long>());
        Assert.Equal(0, health["requests"]!["onion"]!.GetValue<long>());
        Assert.Equal(2, health["storage"]!["messages"]!.GetValue<long>());
        Assert.StartsWith("0.", health["node"]!["version"]!.GetValue<string>(), StringComparison.Ordinal);
        var window = health["bandwidth"]!["schedule"]![0]!;
        Assert.Equal(("18:00", "23:00", 1_000_000L), (window["from"]!.GetValue<string>(), window["to"]!.GetValue<string>(), window["rate"]!.GetValue<long>()));
    }
}
