using System.Text;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Auth;

namespace SessionAppliance.Node.Tests.Rpc;

public class ExpireTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const long Minute = 60_000;

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Expire_sets_the_expiry_and_signs_expiry_requested_and_updated()
    {
        var session = new AccountSession(Node);
        var hashes = await session.StoreManyAsync(0, 2, ttlMs: 10 * Minute);
        var expiry = Node.NowMs + 20 * Minute;

        var reply = await Node.Client.CallAsync("expire", session.Requests.Expire(hashes, expiry));

        Assert.Equal(200, reply.Code);
        var entry = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        var updated = entry["updated"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        Assert.Equal(hashes.Order(StringComparer.Ordinal), updated);
        Assert.Equal(expiry, entry["expiry"]!.GetValue<long>());
        Assert.Null(entry["unchanged"]);
        NodeSignatures.AssertSigned(Node, entry["signature"]!.GetValue<string>(),
            Encoding.ASCII.GetBytes(session.Keys.Account.Hex + expiry + string.Concat(hashes) + string.Concat(updated)));
    }

    [Fact]
    public async Task Extend_leaves_later_expiries_unchanged_and_reports_them()
    {
        var session = new AccountSession(Node);
        var shortLived = await session.StoreAsync(0, [1], ttlMs: 5 * Minute);
        var longLived = await session.StoreAsync(0, [2], ttlMs: 30 * Minute);
        var expiry = Node.NowMs + 10 * Minute;

        var reply = await Node.Client.CallAsync("expire", session.Requests.Expire([shortLived, longLived], expiry, "extend"));

        var entry = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        Assert.Equal([shortLived], entry["updated"]!.AsArray().Select(h => h!.GetValue<string>()));
        var unchangedExpiry = entry["unchanged"]![longLived]!.GetValue<long>();
        NodeSignatures.AssertSigned(Node, entry["signature"]!.GetValue<string>(),
            Encoding.ASCII.GetBytes(session.Keys.Account.Hex + expiry + shortLived + longLived + shortLived + longLived + unchangedExpiry));
    }

    [Fact]
    public async Task Shorten_never_extends()
    {
        var session = new AccountSession(Node);
        var hash = await session.StoreAsync(0, [1], ttlMs: 5 * Minute);

        var reply = await Node.Client.CallAsync("expire", session.Requests.Expire([hash], Node.NowMs + 10 * Minute, "shorten"));

        var entry = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        Assert.Empty(entry["updated"]!.AsArray());
        Assert.NotNull(entry["unchanged"]![hash]);
    }

    [Fact]
    public async Task Expiry_list_form_applies_one_expiry_per_message()
    {
        var session = new AccountSession(Node);
        var hashes = await session.StoreManyAsync(0, 2);
        var now = Node.NowMs;
        long[] expiries = [now + 11 * Minute, now + 12 * Minute];

        var reply = await Node.Client.CallAsync("expire", session.Requests.ExpireEach(hashes, expiries));

        Assert.Equal(200, reply.Code);
        var got = await Node.Client.CallAsync("get_expiries", session.Requests.GetExpiries(hashes, Node.NowMs));
        Assert.Equal(expiries[0], got.Json["expiries"]![hashes[0]]!.GetValue<long>());
        Assert.Equal(expiries[1], got.Json["expiries"]![hashes[1]]!.GetValue<long>());
        Assert.Null(got.Json["t"]);
    }

    [Fact]
    public async Task Expiry_in_the_past_answers_401()
    {
        var session = new AccountSession(Node);
        var hash = await session.StoreAsync(0, [1]);

        var reply = await Node.Client.CallAsync("expire", session.Requests.Expire([hash], Node.NowMs - 2 * Minute));

        Assert.Equal(401, reply.Code);
        Assert.Equal("expire: timestamp should be >= current time", reply.Body);
    }

    [Fact]
    public async Task Expiry_beyond_30_days_is_clamped()
    {
        var session = new AccountSession(Node);
        var hash = await session.StoreAsync(0, [1]);

        var reply = await Node.Client.CallAsync("expire", session.Requests.Expire([hash], Node.NowMs + 40L * 24 * 3600 * 1000));

        var applied = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!["expiry"]!.GetValue<long>();
        Assert.InRange(applied, Node.NowMs + 30L * 24 * 3600 * 1000 - 10_000, Node.NowMs + 30L * 24 * 3600 * 1000);
    }

    [Fact]
    public async Task Subaccount_without_delete_may_only_extend()
    {
        var owner = new AccountSession(Node);
        var hash = await owner.StoreAsync(0, [1], ttlMs: 20 * Minute);
        var writer = new AccountSession(Node, owner.Keys, owner.Keys.Delegate(SubaccountFlags.Write, Protocol.Crypto.Ed25519.Generate()));

        var reply = await Node.Client.CallAsync("expire", writer.Requests.Expire([hash], Node.NowMs + 5 * Minute));

        Assert.Equal(200, reply.Code);
        Assert.Empty(reply.Json["swarm"]![Node.Keys.Ed25519Hex]!["updated"]!.AsArray());
    }

    [Fact]
    public async Task Expire_all_only_shortens_and_signs_the_updated_hashes()
    {
        var session = new AccountSession(Node);
        var longLived = await session.StoreAsync(0, [1], ttlMs: 30 * Minute);
        await session.StoreAsync(0, [2], ttlMs: 2 * Minute);
        var expiry = Node.NowMs + 5 * Minute;

        var reply = await Node.Client.CallAsync("expire_all", session.Requests.ExpireAll(0, expiry));

        var entry = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        Assert.Equal([longLived], entry["updated"]!.AsArray().Select(h => h!.GetValue<string>()));
        NodeSignatures.AssertSigned(Node, entry["signature"]!.GetValue<string>(), Encoding.ASCII.GetBytes(session.Keys.Account.Hex + expiry + longLived));
    }

    [Fact]
    public async Task Get_expiries_with_stale_timestamp_answers_406()
    {
        var session = new AccountSession(Node);
        var hash = await session.StoreAsync(0, [1]);

        var reply = await Node.Client.CallAsync("get_expiries", session.Requests.GetExpiries([hash], Node.NowMs - 2 * Minute));

        Assert.Equal(406, reply.Code);
    }

    [Fact]
    public async Task A_hash_repeated_under_one_expiry_is_updated_once_and_signed_with_every_requested_hash()
    {
        var session = new AccountSession(Node);
        var hash = await session.StoreAsync(0, [7], ttlMs: 10 * Minute);
        var expiry = Node.NowMs + 20 * Minute;

        var reply = await Node.Client.CallAsync("expire", session.Requests.Expire([hash, hash], expiry, "extend"));

        var entry = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        Assert.Equal([hash], entry["updated"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Empty(entry["unchanged"]!.AsObject());
        NodeSignatures.AssertSigned(Node, entry["signature"]!.GetValue<string>(),
            Encoding.ASCII.GetBytes(session.Keys.Account.Hex + expiry + hash + hash + hash));
    }

    [Fact]
    public async Task A_hash_repeated_in_the_list_form_is_updated_per_occurrence_against_what_the_earlier_one_wrote()
    {
        var session = new AccountSession(Node);
        var hash = await session.StoreAsync(0, [8], ttlMs: 10 * Minute);
        var (later, earlier) = (Node.NowMs + 20 * Minute, Node.NowMs + 15 * Minute);

        // Extend only: the first occurrence extends to +20 min; the second (+15 min) is then not an extension.
        var p = session.Requests.ExpireEach([hash, hash], [later, earlier]);
        p["extend"] = true;
        p["signature"] = Convert.ToBase64String(session.Keys.Sign(SignedMessages.Expire("extend", [later, earlier], [hash, hash])));
        var reply = await Node.Client.CallAsync("expire", p);

        var entry = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        Assert.Equal([hash], entry["updated"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal([later], entry["expiry"]!.AsArray().Select(e => e!.GetValue<long>()));
        Assert.Empty(entry["unchanged"]!.AsObject());

        // Without a mode both occurrences apply, in turn, and both are reported.
        var both = await Node.Client.CallAsync("expire", session.Requests.ExpireEach([hash, hash], [earlier, later]));

        var second = both.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        Assert.Equal([hash, hash], second["updated"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal([earlier, later], second["expiry"]!.AsArray().Select(e => e!.GetValue<long>()));
        NodeSignatures.AssertSigned(Node, second["signature"]!.GetValue<string>(),
            Encoding.ASCII.GetBytes(session.Keys.Account.Hex + earlier + later + hash + hash + hash + hash));
    }
}
