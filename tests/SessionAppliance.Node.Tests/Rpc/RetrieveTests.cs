using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Rpc;

public class RetrieveTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Retrieve_returns_messages_in_insertion_order_with_expiration_not_expiry()
    {
        var session = new AccountSession(Node);
        var hashes = await session.StoreManyAsync(0, 3);

        var reply = await session.RetrieveAsync(0);

        var messages = reply["messages"]!.AsArray();
        Assert.Equal(hashes, messages.Select(m => m!["hash"]!.GetValue<string>()));
        Assert.False(reply["more"]!.GetValue<bool>());
        Assert.NotNull(messages[0]!["expiration"]);
        Assert.Null(messages[0]!["expiry"]);
        Assert.Equal("AABa", messages[0]!["data"]!.GetValue<string>());
        Assert.NotNull(reply["t"]);
    }

    [Fact]
    public async Task Last_hash_pages_forward_and_more_says_when_messages_remain()
    {
        var session = new AccountSession(Node);
        var hashes = await session.StoreManyAsync(0, 5);

        var first = await session.RetrieveAsync(0, maxCount: 2);
        var second = await session.RetrieveAsync(0, lastHash: hashes[1], maxCount: 2);
        var last = await session.RetrieveAsync(0, lastHash: hashes[3], maxCount: 2);

        Assert.Equal(hashes[..2], Hashes(first));
        Assert.True(first["more"]!.GetValue<bool>());
        Assert.Equal(hashes[2..4], Hashes(second));
        Assert.Equal([hashes[4]], Hashes(last));
        Assert.False(last["more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Unknown_last_hash_starts_from_the_beginning()
    {
        var session = new AccountSession(Node);
        var hashes = await session.StoreManyAsync(0, 2);

        var reply = await session.RetrieveAsync(0, lastHash: new string('A', 43));

        Assert.Equal(hashes, Hashes(reply));
    }

    [Fact]
    public async Task Size_limit_counts_100_plus_hash_plus_four_thirds_of_data_and_always_returns_one()
    {
        var session = new AccountSession(Node);
        await session.StoreAsync(0, new byte[3000]);
        await session.StoreAsync(0, [.. new byte[2999], 1]);

        // Each message costs 100 + 43 + 4000 = 4143 bytes.
        var tiny = await session.RetrieveAsync(0, maxSize: 10);
        var one = await session.RetrieveAsync(0, maxSize: 8285);
        var both = await session.RetrieveAsync(0, maxSize: 8286);

        Assert.Single(Hashes(tiny));
        Assert.True(tiny["more"]!.GetValue<bool>());
        Assert.Single(Hashes(one));
        Assert.Equal(2, Hashes(both).Count);
    }

    [Fact]
    public async Task Namespaces_are_kept_apart()
    {
        var session = new AccountSession(Node);
        var inbox = await session.StoreAsync(0, [1]);
        var config = await session.StoreAsync(2, [1]);

        Assert.Equal([inbox], Hashes(await session.RetrieveAsync(0)));
        Assert.Equal([config], Hashes(await session.RetrieveAsync(2)));
    }

    [Fact]
    public async Task Retrieve_without_signature_answers_401()
    {
        var reply = await Node.Client.CallAsync("retrieve", new JsonObject { ["pubkey"] = AccountKeys.NewSessionId().Account.Hex });

        Assert.Equal(401, reply.Code);
        Assert.Equal("retrieve: request signature required", reply.Body);
    }

    [Fact]
    public async Task Retrieve_with_stale_timestamp_answers_406()
    {
        var session = new AccountSession(Node);
        var reply = await Node.Client.CallAsync("retrieve", session.Requests.Retrieve(0, Node.NowMs - 61_000));

        Assert.Equal(406, reply.Code);
        Assert.Equal("retrieve timestamp too far from current time", reply.Body);
    }

    [Fact]
    public async Task Retrieve_signed_by_someone_else_answers_401()
    {
        var p = new StorageRequests(AccountKeys.NewSessionId()).Retrieve(0, Node.NowMs);
        p["pubkey"] = AccountKeys.NewSessionId().Account.Hex;

        var reply = await Node.Client.CallAsync("retrieve", p);

        Assert.Equal(401, reply.Code);
        Assert.Equal("retrieve signature verification failed", reply.Body);
    }

    [Fact]
    public async Task Session_id_without_pubkey_ed25519_always_fails_verification()
    {
        var p = new AccountSession(Node).Requests.Retrieve(0, Node.NowMs);
        p.Remove("pubkey_ed25519");

        var reply = await Node.Client.CallAsync("retrieve", p);

        Assert.Equal(401, reply.Code);
    }

    [Fact]
    public async Task Upper_case_pubkey_ed25519_is_accepted()
    {
        var session = new AccountSession(Node);
        var p = session.Requests.Retrieve(0, Node.NowMs);
        p["pubkey_ed25519"] = p["pubkey_ed25519"]!.GetValue<string>().ToUpperInvariant();

        Assert.Equal(200, (await Node.Client.CallAsync("retrieve", p)).Code);
    }

    [Fact]
    public async Task Pubkey_ed25519_on_a_non_05_account_answers_400()
    {
        var group = AccountKeys.Ed25519Account(0x03, Protocol.Crypto.Ed25519.Generate());
        var p = new StorageRequests(group).Retrieve(11, Node.NowMs);
        p["pubkey_ed25519"] = Convert.ToHexStringLower(group.SigningKeys.PublicKey);

        var reply = await Node.Client.CallAsync("retrieve", p);

        Assert.Equal(400, reply.Code);
        Assert.Equal("invalid request: pubkey_ed25519 is only permitted for 05[...] pubkeys", reply.Body);
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(-21)]
    public async Task Legacy_group_and_public_outbox_namespaces_retrieve_without_auth(short ns)
    {
        var session = new AccountSession(Node);
        var hash = await session.StoreAsync(ns, [4, 2]);

        var reply = await Node.Client.CallAsync("retrieve", new JsonObject { ["pubKey"] = session.Keys.Account.Hex, ["namespace"] = ns });

        Assert.Equal(200, reply.Code);
        Assert.Equal(hash, reply.Json["messages"]![0]!["hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task Empty_last_hash_means_absent_and_malformed_last_hash_answers_400()
    {
        var session = new AccountSession(Node);
        await session.StoreAsync(0, [1]);
        var empty = session.Requests.Retrieve(0, Node.NowMs);
        empty["last_hash"] = "";
        var bad = session.Requests.Retrieve(0, Node.NowMs);
        bad["last_hash"] = "short";

        Assert.Single((await Node.Client.CallAsync("retrieve", empty)).Json["messages"]!.AsArray());
        Assert.Equal(400, (await Node.Client.CallAsync("retrieve", bad)).Code);
    }

    private static List<string> Hashes(JsonNode reply) =>
        [.. reply["messages"]!.AsArray().Select(m => m!["hash"]!.GetValue<string>())];
}
