using System.Text.Json.Nodes;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Rpc;

public class NetworkMethodTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData("get_swarm")]
    [InlineData("get_snodes_for_pubkey")]
    public async Task Get_swarm_lists_this_node_with_ports_as_clients_parse_them(string method)
    {
        var reply = await Node.Client.CallAsync(method, new JsonObject { ["pubKey"] = new AccountSession(Node).Keys.Account.Hex, ["params"] = new JsonObject() });

        Assert.Equal(200, reply.Code);
        var snode = Assert.Single(reply.Json["snodes"]!.AsArray())!;
        Assert.Equal(Node.Keys.Ed25519Hex, snode["pubkey_ed25519"]!.GetValue<string>());
        Assert.Equal(Node.Keys.X25519Hex, snode["pubkey_x25519"]!.GetValue<string>());
        Assert.Equal(Node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), snode["port"]!.GetValue<string>());
        Assert.Equal(Node.Port, snode["port_https"]!.GetValue<int>());
        Assert.Equal("127.0.0.1", snode["ip"]!.GetValue<string>());
        Assert.EndsWith(".snode", snode["address"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("0", reply.Json["swarm"]!.GetValue<string>());
    }

    [Fact]
    public async Task Oxend_get_service_nodes_answers_from_the_node_view_with_only_the_requested_fields()
    {
        var p = new JsonObject
        {
            ["endpoint"] = "get_service_nodes",
            ["params"] = new JsonObject
            {
                ["active_only"] = true,
                ["fields"] = new JsonObject { ["public_ip"] = true, ["storage_port"] = true, ["pubkey_x25519"] = true, ["pubkey_ed25519"] = true },
            },
        };

        var reply = await Node.Client.CallAsync("oxend_request", p);

        Assert.Equal(200, reply.Code);
        var state = Assert.Single(reply.Json["result"]!["service_node_states"]!.AsArray())!.AsObject();
        Assert.Equal(["pubkey_ed25519", "pubkey_x25519", "public_ip", "storage_port"], state.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Node.Port, state["storage_port"]!.GetValue<int>());
    }

    [Fact]
    public async Task Oxend_request_to_an_unknown_endpoint_answers_400()
    {
        var reply = await Node.Client.CallAsync("oxend_request", new JsonObject { ["endpoint"] = "get_accrued_earnings" });

        Assert.Equal(400, reply.Code);
    }
}
