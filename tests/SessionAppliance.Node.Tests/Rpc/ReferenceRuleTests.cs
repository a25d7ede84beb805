using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Tests.Rpc;

/// <summary>Behaviours of the reference node (v2.8.0) that a reading of the protocol alone would get wrong.</summary>
public class ReferenceRuleTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Retrieve_with_an_explicit_namespace_zero_and_no_signature_is_a_parse_error()
    {
        var reply = await Node.Client.CallAsync("retrieve", new JsonObject { ["pubkey"] = AccountKeys.NewSessionId().Account.Hex, ["namespace"] = 0 });

        Assert.Equal(400, reply.Code);
        Assert.Equal("invalid request: Required field 'signature' missing", reply.Body);
    }

    [Theory]
    [InlineData("abc", "invalid request: Invalid last_hash: expected base64 (43 chars)")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "invalid request: Invalid last_hash: not base64")]
    public async Task Malformed_last_hash_answers_the_reference_text(string lastHash, string expected)
    {
        var p = new AccountSession(Node).Requests.Retrieve(0, Node.NowMs);
        p["last_hash"] = lastHash;

        Assert.Equal(expected, (await Node.Client.CallAsync("retrieve", p)).Body);
    }

    [Fact]
    public async Task Max_count_of_minus_one_returns_nothing()
    {
        var session = new AccountSession(Node);
        await session.StoreAsync(0, [1]);

        var reply = await session.RetrieveAsync(0, maxCount: -1);

        Assert.Empty(reply["messages"]!.AsArray());
        Assert.False(reply["more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Delete_before_includes_messages_stored_exactly_at_before()
    {
        var session = new AccountSession(Node);
        var timestamp = Node.NowMs;
        var stored = await Node.Client.CallAsync("store", session.Requests.Store(0, [7], timestamp, 60_000, sign: false));

        var reply = await Node.Client.CallAsync("delete_before", session.Requests.DeleteBefore(0, timestamp));

        Assert.Equal(stored.Json["hash"]!.GetValue<string>(), reply.Json["swarm"]![Node.Keys.Ed25519Hex]!["deleted"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_expiries_does_not_validate_hashes_and_answers_only_known_ones()
    {
        var session = new AccountSession(Node);
        var hash = await session.StoreAsync(0, [1]);

        var reply = await Node.Client.CallAsync("get_expiries", session.Requests.GetExpiries([hash, "not-a-hash"], Node.NowMs));

        Assert.Equal(200, reply.Code);
        Assert.Equal([hash], reply.Json["expiries"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task A_subaccount_without_delete_may_not_ask_to_shorten()
    {
        var owner = new AccountSession(Node);
        var hash = await owner.StoreAsync(0, [1]);
        var writer = new StorageRequests(owner.Keys, owner.Keys.Delegate(SubaccountFlags.Write, Ed25519.Generate()));

        var reply = await Node.Client.CallAsync("expire", writer.Expire([hash], Node.NowMs + 60_000, "shorten"));

        Assert.Equal(400, reply.Code);
        Assert.Equal("expire: shorten parameter cannot be used with this subaccount token (missing delete access)", reply.Body);
    }

    [Fact]
    public async Task Expire_signed_by_someone_else_answers_the_reference_text()
    {
        var owner = new AccountSession(Node);
        var hash = await owner.StoreAsync(0, [1]);
        var forged = new StorageRequests(AccountKeys.NewSessionId()).Expire([hash], Node.NowMs + 60_000);
        forged["pubkey"] = owner.Keys.Account.Hex;

        var reply = await Node.Client.CallAsync("expire", forged);

        Assert.Equal(401, reply.Code);
        Assert.Equal("expire: signature verification failed", reply.Body);
    }

    [Fact]
    public async Task Revoke_of_more_than_50_tokens_is_refused()
    {
        var owner = new AccountSession(Node, AccountKeys.Ed25519Account(0x03, Ed25519.Generate()));
        var tokens = Enumerable.Range(0, 51).Select(_ => owner.Keys.Delegate(SubaccountFlags.Read, Ed25519.Generate()).Token).ToList();

        var reply = await Node.Client.CallAsync("revoke_subaccount", owner.Requests.Revocation("revoke_subaccount", tokens, Node.NowMs));

        Assert.Equal("invalid request: invalid revoke: cannot revoke more than 50 subaccounts at once", reply.Body);
    }

    [Fact]
    public async Task A_full_store_still_answers_200_with_a_failed_entry()
    {
        await using var tiny = await TestNode.StartAsync(null, "--Storage:CapacityBytes=1048576");
        var requests = new StorageRequests(AccountKeys.NewSessionId());
        RpcReply reply;
        var i = 0;
        do
        {
            reply = await tiny.Client.CallAsync("store", requests.Store(0, [.. new byte[70_000], (byte)i, (byte)(i >> 8)], tiny.NowMs, 600_000, sign: false));
            i++;
        }
        while (reply.Json["hash"] is not null && i < 100);

        var entry = reply.Json["swarm"]![tiny.Keys.Ed25519Hex]!;
        Assert.Equal(200, reply.Code);
        Assert.True(entry["failed"]!.GetValue<bool>());
        Assert.True(entry["query_failure"]!.GetValue<bool>());
        Assert.Null(entry["reason"]);
    }

    [Fact]
    public async Task Type_errors_name_the_first_bad_field_in_ascii_order()
    {
        var p = new AccountSession(Node).Requests.Retrieve(0, Node.NowMs);
        p["timestamp"] = "soon";
        p["max_count"] = "many";

        var reply = await Node.Client.CallAsync("retrieve", p);

        Assert.Equal("invalid request: Invalid value given for 'max_count': expected integer", reply.Body);
    }

    [Fact]
    public async Task Only_store_puts_t_in_its_own_swarm_entry()
    {
        var session = new AccountSession(Node);
        var hash = await session.StoreAsync(0, [1]);

        var stored = await Node.Client.CallAsync("store", session.Requests.Store(0, [2], Node.NowMs, 60_000, sign: false));
        var deleted = await Node.Client.CallAsync("delete", session.Requests.Delete([hash]));

        Assert.NotNull(stored.Json["swarm"]![Node.Keys.Ed25519Hex]!["t"]);
        Assert.Null(deleted.Json["swarm"]![Node.Keys.Ed25519Hex]!["t"]);
    }

    [Fact]
    public async Task Value_errors_are_reported_in_field_order_before_auth_checks()
    {
        var reply = await Node.Client.CallAsync("delete_all", new JsonObject { ["pubkey"] = AccountKeys.NewSessionId().Account.Hex, ["namespace"] = "x" });

        Assert.Equal("invalid request: Invalid value given for 'namespace': expected integer or \"all\"", reply.Body);
    }

    [Theory]
    [InlineData("{\"method\":\"info\",\"params\":{\"x\":\"\\ud800\"},\"y\":\"\\ud800\"}", "info")]
    [InlineData("{\"method\":\"retrieve\",\"params\":{\"pubkey\":\"\\ud800\"}}", "retrieve")]
    public async Task Unreadable_strings_answer_invalid_json_or_succeed_never_an_empty_500(string body, string method)
    {
        var reply = await Node.Client.PostAsync("/storage_rpc/v1", body);

        Assert.True(reply.Code is 200 or 400, $"{method}: {reply.Code} {reply.Body}");
        Assert.NotEqual("", reply.Body);
    }

    [Fact]
    public async Task Ill_formed_utf8_is_invalid_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage_rpc/v1") { Content = new ByteArrayContent([.. "{\"method\":\"info\",\"params\":{\"a\":\""u8, 0xC3, 0x28, .. "\"}}"u8]) };
        using var response = await Node.Client.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid json", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Max_count_beyond_int64_wraps_like_the_reference_instead_of_failing()
    {
        var session = new AccountSession(Node);
        await session.StoreAsync(0, [1]);
        var p = session.Requests.Retrieve(0, Node.NowMs);
        var body = "{\"method\":\"retrieve\",\"params\":" + p.ToJsonString().Replace("\"timestamp\"", "\"max_count\":18446744073709551615,\"timestamp\"", StringComparison.Ordinal) + "}";

        var reply = await Node.Client.PostAsync("/storage_rpc/v1", body);

        Assert.Equal(200, reply.Code);
        Assert.Empty(reply.Json["messages"]!.AsArray());
    }

    [Fact]
    public async Task A_malformed_ifelse_branch_refuses_the_request_even_when_it_would_not_run()
    {
        var p = new JsonObject
        {
            ["if"] = new JsonObject { ["v_at_least"] = new JsonArray(2) },
            ["then"] = new JsonObject { ["method"] = "info", ["params"] = new JsonObject() },
            ["else"] = new JsonObject { ["method"] = "retrieve", ["params"] = new JsonObject() },
        };

        var reply = await Node.Client.CallAsync("ifelse", p);

        Assert.Equal(400, reply.Code);
        Assert.Equal("invalid request: Required field 'pubkey' missing", reply.Body);
    }
}
