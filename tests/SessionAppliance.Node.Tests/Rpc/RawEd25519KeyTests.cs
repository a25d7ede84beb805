using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Tests.Rpc;

/// <summary>
/// The reference verifies with the account key's own 32 bytes whenever pubkey_ed25519 is absent, whatever the
/// prefix, 05 included (its request_handler's verify_signature); only 05 with pubkey_ed25519 converts keys.
/// </summary>
public class RawEd25519KeyTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    public static TheoryData<string, string> FamiliesAndWrappers()
    {
        var data = new TheoryData<string, string>();
        foreach (var family in Families)
        {
            foreach (var wrapper in new[] { "", "batch", "sequence", "ifelse" })
            {
                data.Add(family, wrapper);
            }
        }

        return data;
    }

    private static readonly string[] Families =
        ["store", "retrieve", "delete", "delete_all", "delete_before", "expire", "expire_list", "expire_all", "get_expiries"];

    [Theory]
    [MemberData(nameof(FamiliesAndWrappers))]
    public async Task A_05_account_that_is_a_raw_Ed25519_key_signs_without_pubkey_ed25519(string family, string wrapper)
    {
        var session = new AccountSession(Node, AccountKeys.Ed25519Account(0x05, Ed25519.Generate()));
        var (method, p) = Build(family, session.Requests, await session.StoreAsync(1, [9]));
        Assert.Null(p["pubkey_ed25519"]);

        var (code, body) = await CallAsync(method, p, wrapper);

        Assert.True(code == 200, $"{family} in '{wrapper}' answered {code}: {body}");
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x03)]
    [InlineData(0x05)]
    [InlineData(0x15)]
    [InlineData(0xff)]
    public async Task Every_prefix_in_front_of_a_raw_Ed25519_key_stores_and_retrieves(byte prefix)
    {
        var session = new AccountSession(Node, AccountKeys.Ed25519Account(prefix, Ed25519.Generate()));
        var hash = await session.StoreAsync(2, [prefix]);

        var reply = await session.RetrieveAsync(2);

        Assert.Equal(hash, reply["messages"]![0]!["hash"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public async Task A_genuine_session_id_without_pubkey_ed25519_is_refused(string family)
    {
        var session = new AccountSession(Node);
        var (method, p) = Build(family, session.Requests, await session.StoreAsync(1, [9]));
        Assert.True(p.Remove("pubkey_ed25519"));

        var reply = await Node.Client.CallAsync(method, p);

        Assert.Equal(401, reply.Code);
    }

    public static TheoryData<string> FamilyNames() => new(Families);

    [Fact]
    public async Task A_subaccount_of_a_raw_05_key_is_checked_against_that_key()
    {
        var owner = AccountKeys.Ed25519Account(0x05, Ed25519.Generate());
        var delegated = owner.Delegate(SubaccountFlags.Read | SubaccountFlags.Write, Ed25519.Generate());
        var session = new AccountSession(Node, owner, delegated);
        Assert.Null(session.Requests.Retrieve(1, Node.NowMs)["pubkey_ed25519"]);

        var hash = await session.StoreAsync(1, [3]);
        var reply = await session.RetrieveAsync(1);

        Assert.Equal(hash, reply["messages"]![0]!["hash"]!.GetValue<string>());
    }

    private (string Method, JsonObject Params) Build(string family, StorageRequests requests, string hash)
    {
        var now = Node.NowMs;
        return family switch
        {
            "store" => ("store", requests.Store(1, [1, 2], now, 60_000)),
            "retrieve" => ("retrieve", requests.Retrieve(1, now)),
            "delete" => ("delete", requests.Delete([hash])),
            "delete_all" => ("delete_all", requests.DeleteAll(1, now)),
            "delete_before" => ("delete_before", requests.DeleteBefore(1, now)),
            "expire" => ("expire", requests.Expire([hash], now + 30_000, "shorten")),
            "expire_list" => ("expire", requests.ExpireEach([hash], [now + 30_000])),
            "expire_all" => ("expire_all", requests.ExpireAll(1, now + 30_000)),
            "get_expiries" => ("get_expiries", requests.GetExpiries([hash], now)),
            _ => throw new ArgumentOutOfRangeException(nameof(family)),
        };
    }

    /// <summary>Calls the method directly, or as the only subrequest of a batch, a sequence or an ifelse.</summary>
    private async Task<(int Code, string Body)> CallAsync(string method, JsonObject p, string wrapper)
    {
        if (wrapper.Length == 0)
        {
            var direct = await Node.Client.CallAsync(method, p);
            return (direct.Code, direct.Body);
        }

        var sub = new JsonObject { ["method"] = method, ["params"] = p };
        var wrapped = wrapper == "ifelse"
            ? new JsonObject { ["if"] = new JsonObject { ["v_at_least"] = new JsonArray(1) }, ["then"] = sub }
            : new JsonObject { ["requests"] = new JsonArray(sub) };
        var reply = await Node.Client.CallAsync(wrapper, wrapped);
        Assert.Equal(200, reply.Code);
        var result = wrapper == "ifelse" ? reply.Json["result"]! : reply.Json["results"]![0]!;
        return (result["code"]!.GetValue<int>(), result["body"]!.ToJsonString());
    }
}
