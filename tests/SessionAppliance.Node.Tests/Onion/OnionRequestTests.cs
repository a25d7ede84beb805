using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Client;
using SessionAppliance.Client.Onion;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Node.Tests.Onion;

public class OnionRequestTests(OnionNetworkFixture fixture) : IClassFixture<OnionNetworkFixture>
{
    private TestNetwork Network => fixture.Network;

    private OnionHop Hop(int index) => new(Network.KeysOf(index).Ed25519.PublicKey, Network.KeysOf(index).X25519PublicKey);

    private OnionHop[] Path => [Hop(0), Hop(1), Hop(2)];

    private async Task<(int Status, string Body)> SendAsync(OnionRequest onion)
    {
        var reply = await Network.Nodes[0].Client.PostAsync("/onion_req/v2", Encoding.Latin1.GetString(onion.EntryPayload),
            customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));
        Assert.Equal(200, reply.Code);
        return onion.OpenNodeReply(reply.Body) ?? throw new InvalidOperationException("reply did not open: " + reply.Body);
    }

    private static JsonObject Rpc(string method, JsonObject p) => new() { ["method"] = method, ["params"] = p };

    [Theory]
    [InlineData(OnionCipher.AesGcm, false)]
    [InlineData(OnionCipher.AesGcm, true)]
    [InlineData(OnionCipher.XChaCha20Poly1305, false)]
    public async Task Store_and_retrieve_through_a_three_hop_path(OnionCipher cipher, bool desktopStyle)
    {
        var requests = new StorageRequests(AccountKeys.NewSessionId());
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var stored = await SendAsync(OnionRequestBuilder.ToNode(Path, Hop(3), Rpc("store", requests.Store(0, [1, 2, 3], now, 60_000, sign: false)), cipher, desktopStyle));
        var retrieved = await SendAsync(OnionRequestBuilder.ToNode(Path, Hop(3), Rpc("retrieve", requests.Retrieve(0, now)), cipher, desktopStyle));

        Assert.Equal(200, stored.Status);
        var hash = JsonNode.Parse(stored.Body)!["hash"]!.GetValue<string>();
        Assert.Equal(200, retrieved.Status);
        Assert.Equal(hash, JsonNode.Parse(retrieved.Body)!["messages"]![0]!["hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_hop_does_exactly_one_x25519_including_the_destination_reply()
    {
        var before = Network.Nodes.Select(n => n.Services.GetRequiredService<HopKeyDeriver>().ScalarMultiplications).ToArray();

        await SendAsync(OnionRequestBuilder.ToNode(Path, Hop(3), Rpc("info", []), OnionCipher.XChaCha20Poly1305));

        var after = Network.Nodes.Select(n => n.Services.GetRequiredService<HopKeyDeriver>().ScalarMultiplications).ToArray();
        Assert.Equal([1L, 1L, 1L, 1L], after.Zip(before, (a, b) => a - b));
    }

    [Fact]
    public async Task Errors_of_the_destination_come_back_sealed_with_their_status()
    {
        var result = await SendAsync(OnionRequestBuilder.ToNode(Path, Hop(3), Rpc("retrieve", new JsonObject { ["pubkey"] = AccountKeys.NewSessionId().Account.Hex }), OnionCipher.AesGcm));

        Assert.Equal(401, result.Status);
        Assert.Equal("retrieve: request signature required", result.Body);
    }

    [Fact]
    public void A_relay_sees_only_ciphertext_and_the_next_hop()
    {
        var account = AccountKeys.NewSessionId();
        var rpc = Rpc("retrieve", new StorageRequests(account).Retrieve(0, 1_700_000_000_000));
        var onion = OnionRequestBuilder.ToNode(Path, Hop(3), rpc, OnionCipher.AesGcm);

        // Peel the guard's layer and then the middle node's, exactly as those nodes do.
        var middleLayer = Peel(0, onion.EntryPayload, out var guardSaw);
        var lastLayer = Peel(1, middleLayer, out var middleSaw);

        Assert.Equal(Network.KeysOf(1).Ed25519.PublicKey, guardSaw.Destination);
        Assert.Equal(Network.KeysOf(2).Ed25519.PublicKey, middleSaw.Destination);
        foreach (var seen in new[] { guardSaw.Layer.ToArray(), middleSaw.Layer.ToArray(), lastLayer })
        {
            var text = Encoding.Latin1.GetString(seen);
            Assert.DoesNotContain(account.Account.Hex, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("retrieve", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Network.KeysOf(3).Ed25519Hex, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private byte[] Peel(int node, byte[] entry, out OnionInstruction.Relay relay)
    {
        Assert.True(OnionPayload.TryParse(entry, out var payload, out _));
        var deriver = new HopKeyDeriver(Network.KeysOf(node).X25519SecretKey, Network.KeysOf(node).X25519PublicKey);
        var plaintext = HopCrypto.Decrypt(deriver.Derive(payload.Cipher, payload.EphemeralKey)!.Value, payload.Ciphertext.Span)!;
        Assert.True(OnionInstruction.TryParse(plaintext, out var instruction, out _));
        relay = Assert.IsType<OnionInstruction.Relay>(instruction);
        return OnionPayload.Build(relay.Layer.Span, relay.EphemeralKey, relay.Cipher, 1);
    }

    [Theory]
    [InlineData("not json", "Invalid json")]
    [InlineData("""{"headers":{},"json":"yes"}""", "Invalid json")]
    [InlineData("""{"host":"example.org","target":"/elsewhere"}""", "Invalid url")]
    public async Task A_layer_that_does_not_parse_answers_200_with_the_error_sealed_as_a_destination_answer(string control, string expected)
    {
        var plaintext = LengthPrefixed.Join("{}"u8, Encoding.UTF8.GetBytes(control));
        var onion = OnionRequestBuilder.OneLayer(Hop(0), plaintext, OnionCipher.AesGcm);

        var reply = await Network.Nodes[0].Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));

        Assert.Equal(200, reply.Code);
        Assert.Equal((400, expected), onion.OpenNodeReply(reply.Body));
    }

    [Fact]
    public async Task A_listed_next_node_that_does_not_answer_is_a_504_request_time_out()
    {
        await using var network = await TestNetwork.StartAsync(2);
        var down = new OnionHop(network.KeysOf(1).Ed25519.PublicKey, network.KeysOf(1).X25519PublicKey);
        await network.Nodes[1].DisposeAsync();
        var onion = OnionRequestBuilder.ToNode([new OnionHop(network.KeysOf(0).Ed25519.PublicKey, network.KeysOf(0).X25519PublicKey)], down, Rpc("info", []), OnionCipher.AesGcm);

        var reply = await network.Nodes[0].Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));

        Assert.Equal(504, reply.Code);
        Assert.Equal("Request time out", reply.Body);
    }

    [Fact]
    public async Task An_unknown_next_node_answers_502_naming_it()
    {
        var stranger = new OnionHop(Protocol.Crypto.Ed25519.Generate().PublicKey, Sodium.ScalarMult.Base(Sodium.SodiumCore.GetRandomBytes(32)));
        var onion = OnionRequestBuilder.ToNode([Hop(0)], stranger, Rpc("info", []), OnionCipher.AesGcm);

        var reply = await Network.Nodes[0].Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));

        Assert.Equal(502, reply.Code);
        Assert.Equal("Next node not found: " + Convert.ToHexStringLower(stranger.Ed25519), reply.Body);
    }

    [Fact]
    public async Task A_path_that_loops_is_stopped_at_the_hop_limit()
    {
        var loop = Enumerable.Range(0, 18).Select(i => Hop(i % 2)).ToArray();
        var onion = OnionRequestBuilder.ToNode(loop, Hop(3), Rpc("info", []), OnionCipher.AesGcm);

        var reply = await Network.Nodes[0].Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));

        Assert.Equal(400, reply.Code);
        Assert.Equal("onion request max path length exceeded", reply.Body);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("\u00ff\u00ff\u00ff\u00ff{}")]
    public async Task Garbage_answers_400_parse_error(string body)
    {
        var reply = await Network.Nodes[0].Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(Encoding.Latin1.GetBytes(body)));

        Assert.Equal(400, reply.Code);
        Assert.StartsWith("Error parsing onion request: ", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampered_ciphertext_answers_400_invalid_ciphertext()
    {
        var onion = OnionRequestBuilder.ToNode(Path, Hop(3), Rpc("info", []), OnionCipher.AesGcm);
        onion.EntryPayload[10] ^= 0x01;

        var reply = await Network.Nodes[0].Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));

        Assert.Equal(400, reply.Code);
        Assert.Equal("Invalid ciphertext", reply.Body);
    }

    [Fact]
    public async Task Proxy_reaches_an_external_server_and_passes_its_answer_back()
    {
        await using var server = await StandInServer.StartAsync();
        var target = new OnionServerTarget("127.0.0.1", "/oxen/v4/lsrpc", "http", server.Port, server.X25519PublicKey);
        var onion = OnionRequestBuilder.ToServer(Path, target, "ping"u8.ToArray(), OnionCipher.XChaCha20Poly1305);

        var reply = await Network.Nodes[0].Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));

        Assert.Equal(200, reply.Code);
        Assert.Equal("echo:ping", Encoding.ASCII.GetString(onion.OpenReply(reply.Body)!));
        Assert.Equal(("Oxen Storage Server/2.8.0", "application/octet-stream"), server.LastHeaders);
    }

    [Fact]
    public async Task With_default_settings_a_proxy_to_a_loopback_address_is_refused()
    {
        await using var server = await StandInServer.StartAsync();
        await using var node = await TestNode.StartAsync();
        var self = new OnionHop(node.Keys.Ed25519.PublicKey, node.Keys.X25519PublicKey);
        var onion = OnionRequestBuilder.ToServer([self], new OnionServerTarget("127.0.0.1", "/oxen/v4/lsrpc", "http", server.Port, server.X25519PublicKey), "ping"u8.ToArray(), OnionCipher.AesGcm);

        var reply = await node.Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));

        Assert.Equal(403, reply.Code);
        Assert.Contains("loopback, private or local", reply.Body, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestsSeen);
    }
}
