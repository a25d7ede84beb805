using System.Net;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Hosting;

public class HttpSurfaceTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Info_answers_version_time_and_hardfork_as_json()
    {
        var reply = await Node.Client.PostAsync("/storage_rpc/v1", """{"method":"info","params":{}}""");

        Assert.Equal(200, reply.Code);
        Assert.Equal("application/json", reply.ContentType);
        Assert.Equal("[2,8,0]", reply.Json["version"]!.ToJsonString());
        Assert.Equal("[19,4]", reply.Json["hf"]!.ToJsonString());
        Assert.InRange(reply.Json["t"]!.GetValue<long>(), Node.NowMs - 5_000, Node.NowMs + 5_000);
        Assert.Equal("Oxen Storage Server/2.8.0", reply.Headers.Server.ToString());
    }

    [Fact]
    public async Task Ping_test_answers_empty_200_with_the_node_pubkey_header()
    {
        var reply = await Node.Client.PostAsync("/ping_test/v1", "");

        Assert.Equal(200, reply.Code);
        Assert.Equal("", reply.Body);
        Assert.Equal(Convert.ToBase64String(Node.Keys.Ed25519.PublicKey), reply.Headers.GetValues("X-Oxen-Snode-Pubkey").Single());
    }

    [Fact]
    public async Task Get_stats_answers_the_deprecated_version_object()
    {
        using var response = await Node.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/get_stats/v1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"version":"2.8.0"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/storage_rpc/v2")]
    [InlineData("/onion_req/v1")]
    [InlineData("/favicon.ico")]
    public async Task Unknown_paths_answer_404_naming_method_and_path(string path)
    {
        var reply = await Node.Client.PostAsync(path, "{}");

        Assert.Equal(404, reply.Code);
        Assert.Equal($"post {path} Not Found", reply.Body);
    }

    [Fact]
    public async Task Json_answers_have_their_keys_in_ascii_order()
    {
        var reply = await Node.Client.PostAsync("/storage_rpc/v1", """{"method":"info","params":{}}""");

        Assert.Matches("""^\{"hf":\[19,4\],"t":\d+,"timestamp":\d+,"version":\[2,8,0\]\}$""", reply.Body);
    }

    [Fact]
    public async Task Long_polling_header_answers_410()
    {
        var reply = await Node.Client.PostAsync("/storage_rpc/v1", """{"method":"info","params":{}}""",
            customise: r => r.Headers.Add("X-Loki-Long-Poll", "true"));

        Assert.Equal(410, reply.Code);
        Assert.Equal("long polling is no longer supported, client upgrade required", reply.Body);
    }

    [Fact]
    public async Task Body_over_10_MiB_answers_413_and_the_node_keeps_serving()
    {
        var huge = new string('x', 10 * 1024 * 1024 + 1);
        var reply = await Node.Client.PostAsync("/storage_rpc/v1", huge);

        Assert.Equal(413, reply.Code);
        Assert.Equal("Request body too large", reply.Body);
        Assert.True(reply.Headers.ConnectionClose);
        Assert.Equal(200, (await Node.Client.PostAsync("/storage_rpc/v1", """{"method":"info","params":{}}""")).Code);
    }

    [Theory]
    [InlineData("not json", "invalid json")]
    [InlineData("{\"method\":", "invalid json")]
    [InlineData("[1,2]", "invalid json: no `method` field")]
    [InlineData("{\"params\":{}}", "invalid json: no `method` field")]
    [InlineData("{\"method\":\"info\"}", "invalid json: no `params` field")]
    [InlineData("{\"method\":\"frobnicate\",\"params\":{}}", "no method frobnicate")]
    public async Task Malformed_requests_answer_400_with_the_reference_text(string body, string expected)
    {
        var reply = await Node.Client.PostAsync("/storage_rpc/v1", body);

        Assert.Equal(400, reply.Code);
        Assert.Equal("text/plain", reply.ContentType);
        Assert.Equal(expected, reply.Body);
    }

    [Fact]
    public async Task Extra_top_level_keys_such_as_jsonrpc_are_ignored()
    {
        var reply = await Node.Client.PostAsync("/storage_rpc/v1", """{"jsonrpc":"2.0","id":7,"method":"info","params":{}}""");

        Assert.Equal(200, reply.Code);
    }

    [Theory]
    [InlineData("/storage_rpc/v1", "{\"method\":\"info\",\"params\":{}}", 200)]
    [InlineData("/storage_rpc/v1", "not json", 400)]
    [InlineData("/storage_rpc/v1", "{\"method\":\"retrieve\",\"params\":{}}", 400)]
    [InlineData("/ping_test/v1", "", 200)]
    [InlineData("/nowhere", "", 404)]
    [InlineData("/onion_req/v2", "not an onion", 400)]
    public async Task Every_answer_is_framed_with_a_content_length_never_chunked(string path, string body, int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        using var response = await Node.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task An_onion_reply_is_framed_with_a_content_length()
    {
        var self = new Client.Onion.OnionHop(Node.Keys.Ed25519.PublicKey, Node.Keys.X25519PublicKey);
        var rpc = new System.Text.Json.Nodes.JsonObject { ["method"] = "info", ["params"] = new System.Text.Json.Nodes.JsonObject() };
        var onion = Client.Onion.OnionRequestBuilder.ToNode([], self, rpc, Protocol.Onion.OnionCipher.AesGcm);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/onion_req/v2") { Content = new ByteArrayContent(onion.EntryPayload) };

        using var response = await Node.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal((await response.Content.ReadAsByteArrayAsync()).Length, response.Content.Headers.ContentLength);
    }
}
