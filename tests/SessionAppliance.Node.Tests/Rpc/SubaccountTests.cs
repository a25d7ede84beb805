using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Tests.Rpc;

public class SubaccountTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static AccountKeys NewGroup() => AccountKeys.Ed25519Account(0x03, Ed25519.Generate());

    [Fact]
    public async Task A_reader_subaccount_retrieves_until_revoked_and_again_after_unrevoke()
    {
        var owner = new AccountSession(Node, NewGroup());
        await owner.StoreAsync(11, [1]);
        var credentials = owner.Keys.Delegate(SubaccountFlags.Read, Ed25519.Generate());
        var reader = new AccountSession(Node, owner.Keys, credentials);

        Assert.Single((await reader.RetrieveAsync(11))["messages"]!.AsArray());

        var revoke = await Node.Client.CallAsync("revoke_subaccount", owner.Requests.Revocation("revoke_subaccount", [credentials.Token], Node.NowMs));
        Assert.Equal(200, revoke.Code);
        var refused = await Node.Client.CallAsync("retrieve", reader.Requests.Retrieve(11, Node.NowMs));
        Assert.Equal(401, refused.Code);
        Assert.Equal("retrieve signature verification failed", refused.Body);

        var unrevoke = await Node.Client.CallAsync("unrevoke_subaccount", owner.Requests.Revocation("unrevoke_subaccount", [credentials.Token], Node.NowMs));
        Assert.Equal(1, unrevoke.Json["swarm"]![Node.Keys.Ed25519Hex]!["count"]!.GetValue<int>());
        Assert.Single((await reader.RetrieveAsync(11))["messages"]!.AsArray());
    }

    [Fact]
    public async Task A_revoked_subaccount_still_retrieves_from_an_unrevocable_namespace()
    {
        var owner = new AccountSession(Node, NewGroup());
        await owner.StoreAsync(-11, [1]);
        var credentials = owner.Keys.Delegate(SubaccountFlags.Read, Ed25519.Generate());
        await Node.Client.CallAsync("revoke_subaccount", owner.Requests.Revocation("revoke_subaccount", [credentials.Token], Node.NowMs));

        var reply = await Node.Client.CallAsync("retrieve", new StorageRequests(owner.Keys, credentials).Retrieve(-11, Node.NowMs));

        Assert.Equal(200, reply.Code);
    }

    [Fact]
    public async Task Revocation_reply_is_signed_over_owner_timestamp_and_token_bytes()
    {
        var owner = new AccountSession(Node, NewGroup());
        var token = owner.Keys.Delegate(SubaccountFlags.Read, Ed25519.Generate()).Token;
        var timestamp = Node.NowMs;

        var reply = await Node.Client.CallAsync("revoke_subaccount", owner.Requests.Revocation("revoke_subaccount", [token], timestamp));

        var signature = reply.Json["swarm"]![Node.Keys.Ed25519Hex]!["signature"]!.GetValue<string>();
        NodeSignatures.AssertSigned(Node, signature, [.. System.Text.Encoding.ASCII.GetBytes(owner.Keys.Account.Hex + timestamp), .. token.Bytes]);
    }

    [Fact]
    public async Task Revoked_subaccounts_lists_tokens_and_keeps_only_the_newest_50()
    {
        var owner = new AccountSession(Node, NewGroup());
        var tokens = Enumerable.Range(0, 52).Select(_ => owner.Keys.Delegate(SubaccountFlags.Read, Ed25519.Generate()).Token).ToList();
        var now = Node.NowMs;
        await Node.Client.CallAsync("revoke_subaccount", owner.Requests.Revocation("revoke_subaccount", tokens[..2], now));

        // Newest by the node's clock when revoked, as in the reference, not by the request's own timestamp.
        Node.Clock.Offset += TimeSpan.FromSeconds(1);
        RpcReply reply;
        try
        {
            await Node.Client.CallAsync("revoke_subaccount", owner.Requests.Revocation("revoke_subaccount", tokens[2..], now - 1000));
            reply = await Node.Client.CallAsync("revoked_subaccounts", owner.Requests.RevokedSubaccounts(Node.NowMs));
        }
        finally
        {
            Node.Clock.Offset -= TimeSpan.FromSeconds(1);
        }

        Assert.Equal(200, reply.Code);
        var listed = reply.Json["revoked"]!.AsArray().Select(t => t!.GetValue<string>()).ToHashSet();
        Assert.Equal(50, listed.Count);
        Assert.DoesNotContain(Convert.ToBase64String(tokens[0].Bytes), listed);
    }

    [Fact]
    public async Task Subaccount_with_another_network_prefix_is_refused_unless_it_has_any_prefix()
    {
        var owner = new AccountSession(Node, NewGroup());
        await owner.StoreAsync(11, [1]);
        var subaccountKeys = Ed25519.Generate();
        SubaccountCredentials Credentials(SubaccountFlags flags)
        {
            var token = SubaccountToken.Create(0x05, flags, subaccountKeys.PublicKey);
            return new SubaccountCredentials(token, owner.Keys.Sign(token.Bytes), subaccountKeys);
        }

        var wrongPrefix = await Node.Client.CallAsync("retrieve", new StorageRequests(owner.Keys, Credentials(SubaccountFlags.Read)).Retrieve(11, Node.NowMs));
        var anyPrefix = await Node.Client.CallAsync("retrieve", new StorageRequests(owner.Keys, Credentials(SubaccountFlags.Read | SubaccountFlags.AnyPrefix)).Retrieve(11, Node.NowMs));

        Assert.Equal(401, wrongPrefix.Code);
        Assert.Equal(200, anyPrefix.Code);
    }

    [Fact]
    public async Task A_token_not_signed_by_the_owner_is_refused()
    {
        var owner = new AccountSession(Node, NewGroup());
        var keys = Ed25519.Generate();
        var token = SubaccountToken.Create(0x03, SubaccountFlags.Read, keys.PublicKey);
        var forged = new SubaccountCredentials(token, Ed25519.Sign(token.Bytes, keys), keys);

        var reply = await Node.Client.CallAsync("retrieve", new StorageRequests(owner.Keys, forged).Retrieve(11, Node.NowMs));

        Assert.Equal(401, reply.Code);
    }

    [Fact]
    public async Task A_subaccount_cannot_revoke_its_token_fields_are_ignored_and_only_the_owner_signature_counts()
    {
        var owner = new AccountSession(Node, NewGroup());
        var credentials = owner.Keys.Delegate(SubaccountFlags.Read | SubaccountFlags.Write | SubaccountFlags.Delete, Ed25519.Generate());
        var p = owner.Requests.Revocation("revoke_subaccount", [credentials.Token], Node.NowMs);
        var timestamp = p["timestamp"]!.GetValue<long>();
        p["signature"] = Convert.ToBase64String(Ed25519.Sign(SignedMessages.Revocation("revoke_subaccount", timestamp, [credentials.Token.Bytes]), credentials.Keys));
        p["subaccount"] = Convert.ToBase64String(credentials.Token.Bytes);
        p["subaccount_sig"] = Convert.ToBase64String(credentials.TokenSignature);

        var reply = await Node.Client.CallAsync("revoke_subaccount", p);

        Assert.Equal(401, reply.Code);
        Assert.Equal("revoke_subaccount signature verification failed", reply.Body);
    }

    [Fact]
    public async Task Tokens_are_accepted_as_hex_too()
    {
        var owner = new AccountSession(Node, NewGroup());
        var token = owner.Keys.Delegate(SubaccountFlags.Read, Ed25519.Generate()).Token;
        var p = owner.Requests.Revocation("revoke_subaccount", [token], Node.NowMs);
        p["revoke"] = new JsonArray(Convert.ToHexString(token.Bytes));

        Assert.Equal(200, (await Node.Client.CallAsync("revoke_subaccount", p)).Code);
    }
}
