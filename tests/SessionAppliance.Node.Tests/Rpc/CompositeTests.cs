using System.Text.Json.Nodes;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Rpc;

public class CompositeTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static JsonObject Sub(string method, JsonObject p) => new() { ["method"] = method, ["params"] = p };

    [Fact]
    public async Task Batch_runs_every_subrequest_and_answers_200_with_each_code_and_body()
    {
        var session = new AccountSession(Node);
        var requests = new JsonArray(
            Sub("store", session.Requests.Store(0, [1], Node.NowMs, 60_000, sign: false)),
            Sub("retrieve", new JsonObject { ["pubkey"] = session.Keys.Account.Hex }),
            Sub("info", []));

        var reply = await Node.Client.CallAsync("batch", new JsonObject { ["requests"] = requests });

        Assert.Equal(200, reply.Code);
        var results = reply.Json["results"]!.AsArray();
        Assert.Equal([200, 401, 200], results.Select(r => r!["code"]!.GetValue<int>()));
        Assert.Equal("retrieve: request signature required", results[1]!["body"]!.GetValue<string>());
        Assert.Equal("[2,8,0]", results[2]!["body"]!["version"]!.ToJsonString());
    }

    [Fact]
    public async Task A_batch_applies_its_subrequests_in_order_so_a_retrieve_sees_the_store_before_it()
    {
        var session = new AccountSession(Node);
        var requests = new JsonArray(
            Sub("store", session.Requests.Store(0, [5, 5], Node.NowMs, 60_000, sign: false)),
            Sub("retrieve", session.Requests.Retrieve(0, Node.NowMs)));

        var reply = await Node.Client.CallAsync("batch", new JsonObject { ["requests"] = requests });

        var results = reply.Json["results"]!.AsArray();
        var stored = results[0]!["body"]!["hash"]!.GetValue<string>();
        Assert.Equal([stored], results[1]!["body"]!["messages"]!.AsArray().Select(m => m!["hash"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Sequence_stops_after_the_first_failure()
    {
        var unsigned = new JsonObject { ["pubkey"] = new AccountSession(Node).Keys.Account.Hex };
        var requests = new JsonArray(Sub("info", []), Sub("retrieve", unsigned), Sub("info", []));

        var reply = await Node.Client.CallAsync("sequence", new JsonObject { ["requests"] = requests });

        var results = reply.Json["results"]!.AsArray();
        Assert.Equal([200, 401], results.Select(r => r!["code"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData(0, "invalid request: Invalid batch request: no valid \"requests\" field")]
    [InlineData(21, "invalid request: Invalid batch request: subrequest limit exceeded")]
    public async Task Batch_needs_1_to_20_subrequests(int count, string expected)
    {
        var requests = new JsonArray([.. Enumerable.Range(0, count).Select(_ => (JsonNode)Sub("info", []))]);

        var reply = await Node.Client.CallAsync("batch", new JsonObject { ["requests"] = requests });

        Assert.Equal(400, reply.Code);
        Assert.Equal(expected, reply.Body);
    }

    [Fact]
    public async Task A_malformed_subrequest_refuses_the_whole_batch_before_anything_runs()
    {
        var session = new AccountSession(Node);
        var good = session.Requests.Store(0, [42], Node.NowMs, 60_000, sign: false);
        var bad = session.Requests.Store(0, [43], Node.NowMs, 60_000, sign: false);
        bad["namespace"] = "zero";

        var reply = await Node.Client.CallAsync("batch", new JsonObject { ["requests"] = new JsonArray(Sub("store", good), Sub("store", bad)) });

        Assert.Equal(400, reply.Code);
        Assert.Equal("invalid request: Invalid value given for 'namespace': expected 16-bit integer", reply.Body);
        Assert.Empty((await session.RetrieveAsync(0))["messages"]!.AsArray());
    }

    [Fact]
    public async Task An_unknown_subrequest_method_rejects_the_whole_batch()
    {
        var reply = await Node.Client.CallAsync("sequence", new JsonObject { ["requests"] = new JsonArray(Sub("info", []), Sub("frobnicate", [])) });

        Assert.Equal(400, reply.Code);
        Assert.Equal("invalid request: Invalid batch subrequest: invalid method \"frobnicate\"", reply.Body);
    }

    [Theory]
    [InlineData("batch")]
    [InlineData("sequence")]
    [InlineData("ifelse")]
    public async Task Batches_cannot_nest(string nested)
    {
        var wellFormed = nested == "ifelse"
            ? new JsonObject { ["if"] = new JsonObject { ["v_at_least"] = new JsonArray(1) }, ["then"] = Sub("info", []) }
            : new JsonObject { ["requests"] = new JsonArray(Sub("info", [])) };
        var requests = new JsonArray(Sub(nested, wellFormed));

        var reply = await Node.Client.CallAsync("batch", new JsonObject { ["requests"] = requests });

        Assert.Equal(400, reply.Code);
        Assert.Equal("invalid request: Invalid batch subrequest: subrequests may not contain meta-requests", reply.Body);
    }

    [Theory]
    [InlineData("""{"hf_at_least":[19,4]}""", true)]
    [InlineData("""{"hf_at_least":[19,5]}""", false)]
    [InlineData("""{"hf_at_least":19}""", true)]
    [InlineData("""{"v_before":[2,9,0]}""", true)]
    [InlineData("""{"v_at_least":[2,8,1]}""", false)]
    [InlineData("""{"height_at_least":1,"hf_before":[20]}""", true)]
    public async Task Ifelse_picks_the_branch_by_version_hardfork_and_height(string condition, bool expected)
    {
        var p = new JsonObject
        {
            ["if"] = JsonNode.Parse(condition),
            ["then"] = Sub("info", []),
            ["else"] = Sub("get_swarm", new JsonObject { ["pubkey"] = new AccountSession(Node).Keys.Account.Hex }),
        };

        var reply = await Node.Client.CallAsync("ifelse", p);

        Assert.Equal(200, reply.Code);
        Assert.Equal(expected, reply.Json["condition"]!.GetValue<bool>());
        Assert.Equal(expected, reply.Json["result"]!["body"]!["version"] is not null);
    }
}
