using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;

namespace SessionAppliance.Node.Tests.Rpc;

public class StoreTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private const long Minute = 60_000;

    [Fact]
    public async Task Store_to_the_public_inbox_needs_no_signature_and_returns_a_signed_receipt()
    {
        var keys = AccountKeys.NewSessionId();
        var data = "hello"u8.ToArray();
        var reply = await Node.Client.CallAsync("store", new StorageRequests(keys).Store(0, data, Node.NowMs, 10 * Minute, sign: false));

        Assert.Equal(200, reply.Code);
        var hash = MessageHash.Compute(keys.Account, 0, data);
        Assert.Equal(hash, reply.Json["hash"]!.GetValue<string>());
        var entry = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        Assert.Equal(hash, entry["hash"]!.GetValue<string>());
        Assert.Null(entry["already"]);
        Assert.NotNull(entry["t"]);
        NodeSignatures.AssertSigned(Node, entry["signature"]!.GetValue<string>(), System.Text.Encoding.ASCII.GetBytes(hash));
    }

    [Fact]
    public async Task Storing_the_same_message_again_reports_already_and_keeps_the_later_expiry()
    {
        var requests = new StorageRequests(AccountKeys.NewSessionId());
        var now = Node.NowMs;
        await Node.Client.CallAsync("store", requests.Store(0, [1, 2, 3], now, 20 * Minute, sign: false));

        var again = await Node.Client.CallAsync("store", requests.Store(0, [1, 2, 3], now, 10 * Minute, sign: false));

        var entry = again.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        Assert.True(entry["already"]!.GetValue<bool>());
        Assert.Equal(now + 20 * Minute, entry["expiry"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(0, 9_999)]
    [InlineData(0, 14L * 24 * 3600 * 1000 + 1)]
    [InlineData(2, 30L * 24 * 3600 * 1000 + 1)]
    public async Task Ttl_outside_the_namespace_limits_answers_403(short ns, long ttl)
    {
        var reply = await Node.Client.CallAsync("store", new StorageRequests(AccountKeys.NewSessionId()).Store(ns, [1], Node.NowMs, ttl));

        Assert.Equal(403, reply.Code);
        Assert.Equal("Provided expiry/TTL is not valid.", reply.Body);
    }

    [Fact]
    public async Task Thirty_day_ttl_is_allowed_outside_the_public_inbox()
    {
        var reply = await Node.Client.CallAsync("store", new StorageRequests(AccountKeys.NewSessionId()).Store(2, [1], Node.NowMs, 30L * 24 * 3600 * 1000));

        Assert.Equal(200, reply.Code);
    }

    [Theory]
    [InlineData(11_000, 10 * Minute)]
    [InlineData(-20 * Minute, 10 * Minute - 1)]
    public async Task Timestamps_too_far_from_the_node_clock_answer_406(long skew, long ttl)
    {
        var reply = await Node.Client.CallAsync("store", new StorageRequests(AccountKeys.NewSessionId()).Store(0, [1], Node.NowMs + skew, ttl, sign: false));

        Assert.Equal(406, reply.Code);
        Assert.Equal("Timestamp error: check your clock", reply.Body);
    }

    [Fact]
    public async Task A_timestamp_in_seconds_is_far_in_the_past_and_answers_406()
    {
        var p = new StorageRequests(AccountKeys.NewSessionId()).Store(0, [1], Node.NowMs, Minute, sign: false);
        p["timestamp"] = Node.NowMs / 1000;

        var reply = await Node.Client.CallAsync("store", p);

        Assert.Equal(406, reply.Code);
    }

    [Fact]
    public async Task Private_namespace_without_signature_answers_401()
    {
        var reply = await Node.Client.CallAsync("store", new StorageRequests(AccountKeys.NewSessionId()).Store(3, [1], Node.NowMs, Minute, sign: false));

        Assert.Equal(401, reply.Code);
        Assert.Equal("store: signature required to store to namespace 3", reply.Body);
    }

    [Fact]
    public async Task Private_namespace_with_a_wrong_signature_answers_401()
    {
        var owner = AccountKeys.NewSessionId();
        var forged = new StorageRequests(AccountKeys.NewSessionId()).Store(3, [1], Node.NowMs, Minute);
        forged["pubkey"] = owner.Account.Hex;

        var reply = await Node.Client.CallAsync("store", forged);

        Assert.Equal(401, reply.Code);
        Assert.Equal("store signature verification failed", reply.Body);
    }

    [Fact]
    public async Task Signed_store_to_a_private_namespace_is_kept_under_that_namespace()
    {
        var requests = new StorageRequests(AccountKeys.NewSessionId());
        var reply = await Node.Client.CallAsync("store", requests.Store(5, [9, 9], Node.NowMs, Minute));

        Assert.Equal(200, reply.Code);
        Assert.Equal(MessageHash.Compute(requests.Keys.Account, 5, [9, 9]), reply.Json["hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task Store_of_a_group_account_verifies_with_the_account_key_itself()
    {
        var group = AccountKeys.Ed25519Account(AccountId.GroupPrefix, Protocol.Crypto.Ed25519.Generate());
        var reply = await Node.Client.CallAsync("store", new StorageRequests(group).Store(11, [7], Node.NowMs, Minute));

        Assert.Equal(200, reply.Code);
    }

    [Fact]
    public async Task Data_over_76800_bytes_answers_400()
    {
        var reply = await Node.Client.CallAsync("store", new StorageRequests(AccountKeys.NewSessionId()).Store(0, new byte[76_801], Node.NowMs, Minute, sign: false));

        Assert.Equal(400, reply.Code);
        Assert.Equal("invalid request: Message body exceeds maximum allowed length of 76800 bytes", reply.Body);
    }

    [Fact]
    public async Task Data_of_exactly_76800_bytes_is_stored()
    {
        var reply = await Node.Client.CallAsync("store", new StorageRequests(AccountKeys.NewSessionId()).Store(0, new byte[76_800], Node.NowMs, Minute, sign: false));

        Assert.Equal(200, reply.Code);
    }

    [Fact]
    public async Task Public_outbox_store_replaces_the_owner_namespace()
    {
        var requests = new StorageRequests(AccountKeys.NewSessionId());
        await Node.Client.CallAsync("store", requests.Store(-1, [1], Node.NowMs, Minute));
        await Node.Client.CallAsync("store", requests.Store(-1, [2], Node.NowMs, Minute));

        var retrieved = await Node.Client.CallAsync("retrieve", new JsonObject { ["pubkey"] = requests.Keys.Account.Hex, ["namespace"] = -1 });

        Assert.Equal(200, retrieved.Code);
        var messages = retrieved.Json["messages"]!.AsArray();
        Assert.Equal("Ag==", Assert.Single(messages)!["data"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("pubkey", "05abc", 400, "invalid request: Pubkey must be 66 hex digits (33 bytes) long")]
    [InlineData("pubkey", "zz0000000000000000000000000000000000000000000000000000000000000000", 400, "invalid request: Pubkey must be 66 hex digits (33 bytes) long")]
    [InlineData("expiry", "tiny", 400, "invalid request: Invalid timestamp for 'expiry': timestamp must be in milliseconds")]
    [InlineData("data", "not*base64", 400, "invalid request: Invalid 'data' value: not base64 encoded")]
    public async Task Bad_values_answer_400_with_the_reference_text(string field, string value, int status, string text)
    {
        var p = new StorageRequests(AccountKeys.NewSessionId()).Store(0, [1], Node.NowMs, Minute, sign: false);
        p[field] = value == "tiny" ? 999_999_999 : value;
        if (field == "expiry")
        {
            p.Remove("ttl");
        }

        var reply = await Node.Client.CallAsync("store", p);

        Assert.Equal(status, reply.Code);
        Assert.Equal(text, reply.Body);
    }

    [Fact]
    public async Task Decimal_strings_are_accepted_for_timestamp_and_ttl_and_pubKey_is_an_alias()
    {
        var keys = AccountKeys.NewSessionId();
        var p = new JsonObject
        {
            ["pubKey"] = keys.Account.Hex,
            ["timestamp"] = Node.NowMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ttl"] = "60000",
            ["data"] = "AQ==",
        };

        Assert.Equal(200, (await Node.Client.CallAsync("store", p)).Code);
    }

    [Theory]
    [InlineData("1e30")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    [InlineData("true")]
    public async Task Huge_fractional_or_non_numeric_timestamps_answer_400_never_500(string number)
    {
        var keys = AccountKeys.NewSessionId();
        var body = "{\"method\":\"store\",\"params\":{\"pubkey\":\"" + keys.Account.Hex + "\",\"timestamp\":" + number + ",\"ttl\":60000,\"data\":\"AQ==\"}}";

        var reply = await Node.Client.PostAsync("/storage_rpc/v1", body);

        Assert.Equal(400, reply.Code);
        Assert.Equal("invalid request: Invalid value given for 'timestamp': expected integer", reply.Body);
    }

    [Theory]
    [InlineData("\"12x\"", "invalid request: Invalid value given for 'timestamp': \"12x\"")]
    [InlineData("\"\"", "invalid request: Invalid value given for 'timestamp': \"\"")]
    public async Task A_timestamp_string_that_is_not_a_number_is_quoted_back(string json, string expected)
    {
        var keys = AccountKeys.NewSessionId();
        var body = "{\"method\":\"store\",\"params\":{\"pubkey\":\"" + keys.Account.Hex + "\",\"timestamp\":" + json + ",\"ttl\":60000,\"data\":\"AQ==\"}}";

        var reply = await Node.Client.PostAsync("/storage_rpc/v1", body);

        Assert.Equal(expected, reply.Body);
    }

    [Theory]
    [InlineData("\"9223372036854775808\"", 403, "Provided expiry/TTL is not valid.")]
    [InlineData("\"18446744073709551615\"", 403, "Provided expiry/TTL is not valid.")]
    [InlineData("18446744073709551615", 403, "Provided expiry/TTL is not valid.")]
    [InlineData("\"18446744073709551616\"", 400, "invalid request: Invalid value given for 'ttl': \"18446744073709551616\"")]
    [InlineData("\"-1\"", 400, "invalid request: Invalid value given for 'ttl': \"-1\"")]
    [InlineData("\"60000\\u0000\"", 400, "invalid request: Invalid value given for 'ttl': \"60000\\u0000\"")]
    [InlineData("\"\\u0036x\"", 400, "invalid request: Invalid value given for 'ttl': \"6x\"")]
    public async Task A_ttl_string_is_read_as_an_unsigned_64_bit_number_as_the_reference_reads_it(string ttl, int status, string expected)
    {
        var keys = AccountKeys.NewSessionId();
        var body = "{\"method\":\"store\",\"params\":{\"pubkey\":\"" + keys.Account.Hex + "\",\"timestamp\":" + Node.NowMs + ",\"ttl\":" + ttl + ",\"data\":\"AQ==\"}}";

        var reply = await Node.Client.PostAsync("/storage_rpc/v1", body);

        Assert.Equal((status, expected), (reply.Code, reply.Body));
    }

    [Fact]
    public async Task Expiry_and_ttl_together_answer_400()
    {
        var p = new StorageRequests(AccountKeys.NewSessionId()).Store(0, [1], Node.NowMs, Minute, sign: false);
        p["expiry"] = Node.NowMs + Minute;

        var reply = await Node.Client.CallAsync("store", p);

        Assert.Equal("invalid request: Cannot specify both 'expiry' and 'ttl'", reply.Body);
    }

    [Fact]
    public async Task Missing_data_answers_400_naming_the_field()
    {
        var p = new StorageRequests(AccountKeys.NewSessionId()).Store(0, [1], Node.NowMs, Minute, sign: false);
        p.Remove("data");

        var reply = await Node.Client.CallAsync("store", p);

        Assert.Equal("invalid request: Required field 'data' missing", reply.Body);
    }

    [Fact]
    public async Task Subaccount_without_write_cannot_store()
    {
        var owner = AccountKeys.NewSessionId();
        var reader = owner.Delegate(SubaccountFlags.Read, Protocol.Crypto.Ed25519.Generate());

        var reply = await Node.Client.CallAsync("store", new StorageRequests(owner, reader).Store(2, [1], Node.NowMs, Minute));

        Assert.Equal(401, reply.Code);
        Assert.Equal("store signature verification failed", reply.Body);
    }
}
