using System.Text;
using SessionAppliance.Node.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Protocol.Auth;

namespace SessionAppliance.Node.Tests.Rpc;

public class DeleteTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Delete_removes_named_messages_and_signs_requested_then_deleted_hashes()
    {
        var session = new AccountSession(Node);
        var hashes = await session.StoreManyAsync(0, 3);
        string[] requested = [hashes[2], hashes[0], new string('B', 43)];

        var reply = await Node.Client.CallAsync("delete", session.Requests.Delete(requested));

        Assert.Equal(200, reply.Code);
        var entry = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        var deleted = entry["deleted"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        Assert.Equal(new[] { hashes[2], hashes[0] }.Order(StringComparer.Ordinal), deleted);
        NodeSignatures.AssertSigned(Node, entry["signature"]!.GetValue<string>(),
            Encoding.ASCII.GetBytes(session.Keys.Account.Hex + string.Concat(requested) + string.Concat(deleted)));
        Assert.Equal([hashes[1]], (await session.RetrieveAsync(0))["messages"]!.AsArray().Select(m => m!["hash"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Delete_with_required_and_nothing_deleted_answers_404()
    {
        var session = new AccountSession(Node);

        var reply = await Node.Client.CallAsync("delete", session.Requests.Delete([new string('C', 43)], required: true));

        Assert.Equal(404, reply.Code);
    }

    [Fact]
    public async Task Required_is_decided_over_the_whole_swarm_a_peer_that_deleted_makes_it_200()
    {
        await using var network = await TestNetwork.StartAsync(3);
        var requests = new Client.StorageRequests(Client.AccountKeys.NewSessionId());
        var account = requests.Keys.Account;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] data = [4, 2];
        var hash = Protocol.Accounts.MessageHash.Compute(account, 0, data);

        // Only the second member holds the message: the entry node deletes nothing, its peer deletes it.
        var holder = network.Nodes[1].Services.GetRequiredService<SessionAppliance.Node.Storage.IMessageStore>();
        await holder.StoreAsync(new SessionAppliance.Node.Storage.StoredMessage(account, 0, hash, now, now + 600_000, data), replaceNamespace: false, default);

        var reply = await network.Nodes[0].Client.CallAsync("delete", requests.Delete([hash], required: true));

        Assert.Equal(200, reply.Code);
        Assert.Equal([hash], reply.Json["swarm"]![network.Nodes[1].Keys.Ed25519Hex]!["deleted"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Empty(reply.Json["swarm"]![network.Nodes[2].Keys.Ed25519Hex]!["deleted"]!.AsArray());
    }

    [Fact]
    public async Task Delete_cannot_touch_another_accounts_messages()
    {
        var victim = new AccountSession(Node);
        var hash = await victim.StoreAsync(0, [1]);
        var attacker = new AccountSession(Node);

        var reply = await Node.Client.CallAsync("delete", attacker.Requests.Delete([hash]));

        Assert.Empty(reply.Json["swarm"]![Node.Keys.Ed25519Hex]!["deleted"]!.AsArray());
        Assert.Single((await victim.RetrieveAsync(0))["messages"]!.AsArray());
    }

    [Fact]
    public async Task Delete_with_a_bad_signature_answers_401()
    {
        var session = new AccountSession(Node);
        var p = session.Requests.Delete([new string('D', 43)]);
        p["signature"] = Convert.ToBase64String(new byte[64]);

        var reply = await Node.Client.CallAsync("delete", p);

        Assert.Equal(401, reply.Code);
        Assert.Equal("delete_msgs signature verification failed", reply.Body);
    }

    [Theory]
    [InlineData("AAAA")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public async Task Signature_that_is_not_64_bytes_of_base64_answers_400(string signature)
    {
        var p = new AccountSession(Node).Requests.Delete([new string('D', 43)]);
        p["signature"] = signature;

        var reply = await Node.Client.CallAsync("delete", p);

        Assert.Equal(400, reply.Code);
        Assert.Equal("invalid request: invalid signature: expected base64 encoded Ed25519 signature", reply.Body);
    }

    [Fact]
    public async Task Delete_all_in_all_namespaces_groups_hashes_by_namespace_and_signs_them_in_ascii_order()
    {
        var session = new AccountSession(Node);
        var inbox = await session.StoreManyAsync(0, 2);
        var config = await session.StoreManyAsync(2, 2);
        var timestamp = Node.NowMs;

        var reply = await Node.Client.CallAsync("delete_all", session.Requests.DeleteAll(null, timestamp));

        Assert.Equal(200, reply.Code);
        var entry = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!;
        Assert.Equal(inbox.Order(StringComparer.Ordinal), entry["deleted"]!["0"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal(config.Order(StringComparer.Ordinal), entry["deleted"]!["2"]!.AsArray().Select(h => h!.GetValue<string>()));
        var all = string.Concat(inbox.Concat(config).Order(StringComparer.Ordinal));
        NodeSignatures.AssertSigned(Node, entry["signature"]!.GetValue<string>(), Encoding.ASCII.GetBytes(session.Keys.Account.Hex + timestamp + all));
        Assert.Empty((await session.RetrieveAsync(2))["messages"]!.AsArray());
    }

    [Fact]
    public async Task Delete_all_of_one_namespace_leaves_the_others()
    {
        var session = new AccountSession(Node);
        await session.StoreAsync(0, [1]);
        await session.StoreAsync(2, [1]);

        var reply = await Node.Client.CallAsync("delete_all", session.Requests.DeleteAll(2, Node.NowMs));

        Assert.Single(reply.Json["swarm"]![Node.Keys.Ed25519Hex]!["deleted"]!.AsArray());
        Assert.Single((await session.RetrieveAsync(0))["messages"]!.AsArray());
    }

    [Fact]
    public async Task Delete_all_with_a_stale_timestamp_answers_406()
    {
        var reply = await Node.Client.CallAsync("delete_all", new AccountSession(Node).Requests.DeleteAll(null, Node.NowMs - 65_000));

        Assert.Equal(406, reply.Code);
    }

    [Fact]
    public async Task Delete_before_removes_only_older_messages()
    {
        var session = new AccountSession(Node);
        var old = await session.StoreAsync(0, [1]);
        var cutoff = Node.NowMs + 1;
        await Task.Delay(5);
        var recent = await session.StoreAsync(0, [2]);

        var reply = await Node.Client.CallAsync("delete_before", session.Requests.DeleteBefore(0, cutoff));

        Assert.Equal(200, reply.Code);
        Assert.Equal([old], reply.Json["swarm"]![Node.Keys.Ed25519Hex]!["deleted"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal([recent], (await session.RetrieveAsync(0))["messages"]!.AsArray().Select(m => m!["hash"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Delete_before_a_future_time_answers_401()
    {
        var reply = await Node.Client.CallAsync("delete_before", new AccountSession(Node).Requests.DeleteBefore(0, Node.NowMs + 120_000));

        Assert.Equal(401, reply.Code);
    }

    [Fact]
    public async Task Subaccount_with_delete_can_delete_but_one_without_cannot()
    {
        var owner = new AccountSession(Node);
        var hash = await owner.StoreAsync(0, [1]);
        var writer = new AccountSession(Node, owner.Keys, owner.Keys.Delegate(SubaccountFlags.Write, Protocol.Crypto.Ed25519.Generate()));
        var deleter = new AccountSession(Node, owner.Keys, owner.Keys.Delegate(SubaccountFlags.Delete, Protocol.Crypto.Ed25519.Generate()));

        Assert.Equal(401, (await Node.Client.CallAsync("delete", writer.Requests.Delete([hash]))).Code);
        var reply = await Node.Client.CallAsync("delete", deleter.Requests.Delete([hash]));

        Assert.Equal(200, reply.Code);
        Assert.Single(reply.Json["swarm"]![Node.Keys.Ed25519Hex]!["deleted"]!.AsArray());
    }
}
