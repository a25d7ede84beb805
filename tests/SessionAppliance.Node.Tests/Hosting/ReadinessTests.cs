using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Hosting;

public class ReadinessTests
{
    [Fact]
    public async Task A_node_that_is_not_ready_answers_503_with_its_reasons()
    {
        await using var node = await TestNode.StartAsync();
        var readiness = node.Services.GetRequiredService<NodeReadiness>();
        readiness.NotReady("swarm", "not in any swarm");
        readiness.NotReady("sync", "still syncing");

        var reply = await node.Client.PostAsync("/storage_rpc/v1", """{"method":"info","params":{}}""");
        readiness.Ready("swarm");
        readiness.Ready("sync");
        var after = await node.Client.PostAsync("/storage_rpc/v1", """{"method":"info","params":{}}""");

        Assert.Equal(503, reply.Code);
        Assert.Equal("Service node is not ready: not in any swarm; still syncing\n", reply.Body);
        Assert.Equal(200, after.Code);
    }

    [Fact]
    public async Task Bad_configuration_stops_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestNode.StartAsync(null, "--Node:HttpsPort=70000"));

        Assert.Contains("Node:HttpsPort 70000 is not a TCP port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_served_on_the_loopback_port_only_with_readiness_reasons()
    {
        await using var node = await TestNode.StartAsync();
        node.Services.GetRequiredService<NodeReadiness>().NotReady("swarm", "not in any swarm");
        using var http = new HttpClient();

        var health = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{node.HealthPort}/health"))!;
        using var overHttps = await node.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health"));

        Assert.False(health["ready"]!.GetValue<bool>());
        Assert.Equal("not in any swarm", health["not_ready"]![0]!.GetValue<string>());
        Assert.Empty(health["degraded"]!.AsArray());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, overHttps.StatusCode);
    }
}
