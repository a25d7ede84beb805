using System.Text;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Monitor;

namespace SessionAppliance.Protocol.Tests.Monitor;

/// <summary><c>monitor.messages</c> (spec §2, §3): each check and text of the reference's <c>handle_monitor_message_single</c>.</summary>
public sealed class MonitorRequestTests
{
    private const long Now = 1_780_000_000_000;
    private static readonly Ed25519KeyPair Owner = Ed25519.Generate();

    private static AccountId SessionId
    {
        get
        {
            Ed25519.TryToX25519PublicKey(Owner.PublicKey, out var x);
            return AccountId.FromBytes([0x05, .. x]);
        }
    }

    private static BtDict Request(short[] namespaces, bool wantData = false, long? t = null, Ed25519KeyPair? signer = null)
    {
        var seconds = t ?? Now / 1000;
        var signature = Ed25519.Sign(MonitorRequest.SignedText(SessionId, seconds, wantData, namespaces), signer ?? Owner);
        var dict = new BtDict()
            .Set("P", BtValue.From(Owner.PublicKey))
            .Set("n", new BtList([.. namespaces.Select(n => BtValue.From(n))]))
            .Set("s", BtValue.From(signature))
            .Set("t", BtValue.From(seconds));
        return wantData ? dict.Set("d", BtValue.From(1)) : dict;
    }

    private static (string Reply, List<MonitorSubscription> Accepted) Handle(BtValue request) => Handle(BtWriter.Encode(request));

    private static (string Reply, List<MonitorSubscription> Accepted) Handle(byte[] body)
    {
        var accepted = new List<MonitorSubscription>();
        var reply = MonitorRequest.Handle(body, Now, accepted);
        return (Encoding.Latin1.GetString(reply), accepted);
    }

    [Fact]
    public void A_session_id_signed_by_its_ed25519_key_subscribes_to_the_derived_account()
    {
        var (reply, accepted) = Handle(Request([-10, 0, 5], wantData: true));
        Assert.Equal("d7:successi1ee", reply);
        var subscription = Assert.Single(accepted);
        Assert.Equal(SessionId, subscription.Account);
        Assert.Equal(new short[] { -10, 0, 5 }, subscription.Namespaces);
        Assert.True(subscription.WantData);
    }

    [Fact]
    public void The_signed_text_is_monitor_account_hex_seconds_flag_and_namespaces()
    {
        var account = AccountId.Parse("05" + new string('a', 64));
        Assert.Equal("MONITOR05" + new string('a', 64) + "17800000000-1,2", Encoding.ASCII.GetString(MonitorRequest.SignedText(account, 1_780_000_000, false, [-1, 2])));
    }

    [Fact]
    public void A_list_gets_a_list_of_answers_in_order()
    {
        var (reply, accepted) = Handle(new BtList([Request([0]), Request([0], signer: Ed25519.Generate())]));
        Assert.Equal("ld7:successi1eed7:errcodei5e5:error29:Signature verification failedee", reply);
        Assert.Single(accepted);
    }

    [Theory]
    [InlineData("i5e", "Invalid arguments: monitor request takes a single bencoded dict or list parameter")]
    [InlineData("d1:ai1", "Invalid arguments: monitor request takes a single bencoded dict or list parameter")]
    [InlineData("d1:bi1e1:ai1ee", "Invalid arguments: Failed to parse monitor.messages data value")]
    [InlineData("li1ee", "Invalid arguments: Failed to parse monitor.messages data value")]
    public void An_unreadable_body_is_bad_args(string body, string text)
    {
        var (reply, accepted) = Handle(Encoding.ASCII.GetBytes(body));
        Assert.Equal($"d7:errcodei1e5:error{text.Length}:{text}e", reply);
        Assert.Empty(accepted);
    }

    public static TheoryData<string, int, string> Refusals => new()
    {
        { "namespaces not ascending", 3, "Invalid n= namespace list: namespaces must be ascending" },
        { "duplicate namespace", 3, "Invalid n= namespace list: namespaces must be ascending" },
        { "no n", 1, "Invalid arguments: Key n not found!" },
        { "empty n", 1, "Invalid arguments: next bt value is not an integer" },
        { "namespace too large", 1, "Invalid arguments: Integer deserialization failed: found too-large value 40000 > 32767" },
        { "d of 2", 1, "Invalid arguments: Integer deserialization failed: found too-large value 2 > 1" },
        { "no t", 1, "Invalid arguments: required signature timestamp is missing" },
        { "no s", 1, "Invalid arguments: Key s not found!" },
        { "short s", 5, "Provided s= signature must be 64 bytes" },
        { "short P", 2, "Provided P= Session Ed25519 pubkey must be 32 bytes" },
        { "p and P", 1, "Invalid arguments: Cannot provide both p= and P= pubkey values" },
        { "neither p nor P", 1, "Invalid arguments: Either p= or P= must be given" },
        { "P as integer", 1, "Invalid arguments: expected a string, but found i" },
        { "t too old", 4, "Invalid t= signature timestamp: timestamp is too old" },
        { "t ahead", 4, "Invalid t= signature timestamp: timestamp is in the future" },
        { "S without T", 1, "Invalid arguments: Key T not found!" },
        { "short T", 2, "Provided T subaccount token must be 36 bytes" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_bad_entry_gets_the_reference_errcode_and_text(string change, int code, string text)
    {
        var request = change switch
        {
            "namespaces not ascending" => Request([2, 1]),
            "duplicate namespace" => Request([1, 1]),
            "t too old" => Request([0], t: (Now / 1000) - (15 * 86_400)),
            "t ahead" => Request([0], t: (Now / 1000) + 90_000),
            _ => Request([0]),
        };
        switch (change)
        {
            case "no n": request = Without(request, "n"); break;
            case "empty n": request.Set("n", new BtList([])); break;
            case "namespace too large": request.Set("n", new BtList([BtValue.From(40_000)])); break;
            case "d of 2": request.Set("d", BtValue.From(2)); break;
            case "no t": request = Without(request, "t"); break;
            case "no s": request = Without(request, "s"); break;
            case "short s": request.Set("s", BtValue.From(new byte[63])); break;
            case "short P": request.Set("P", BtValue.From(new byte[31])); break;
            case "p and P": request.Set("p", BtValue.From(SessionId.Bytes)); break;
            case "neither p nor P": request = Without(request, "P"); break;
            case "P as integer": request.Set("P", BtValue.From(7)); break;
            case "S without T": request.Set("S", BtValue.From(new byte[64])); break;
            case "short T": request.Set("S", BtValue.From(new byte[64])).Set("T", BtValue.From(new byte[35])); break;
        }

        var (reply, accepted) = Handle(request);
        Assert.Equal($"d7:errcodei{code}e5:error{Encoding.UTF8.GetByteCount(text)}:{text}e", reply);
        Assert.Empty(accepted);
    }

    [Fact]
    public void A_group_account_given_by_p_verifies_with_its_own_key()
    {
        var group = Ed25519.Generate();
        var account = AccountId.FromBytes([0x03, .. group.PublicKey]);
        var seconds = Now / 1000;
        var request = new BtDict()
            .Set("n", new BtList([BtValue.From(11)]))
            .Set("p", BtValue.From(account.Bytes))
            .Set("s", BtValue.From(Ed25519.Sign(MonitorRequest.SignedText(account, seconds, false, [11]), group)))
            .Set("t", BtValue.From(seconds));
        var (reply, accepted) = Handle(request);
        Assert.Equal("d7:successi1ee", reply);
        Assert.Equal(account, Assert.Single(accepted).Account);
    }

    [Theory]
    [InlineData(SubaccountFlags.Read, "d7:successi1ee")]
    [InlineData(SubaccountFlags.Write, "d7:errcodei5e5:error78:Subaccount verification failed: subaccount is missing the required permissionse")]
    public void A_subaccount_needs_read_access_and_the_owner_signature_on_its_token(SubaccountFlags flags, string expected)
    {
        var group = Ed25519.Generate();
        var member = Ed25519.Generate();
        var account = AccountId.FromBytes([0x03, .. group.PublicKey]);
        var token = SubaccountToken.Create(0x03, flags, member.PublicKey);
        var seconds = Now / 1000;
        var request = new BtDict()
            .Set("S", BtValue.From(Ed25519.Sign(token.Bytes, group)))
            .Set("T", BtValue.From(token.Bytes))
            .Set("n", new BtList([BtValue.From(0)]))
            .Set("p", BtValue.From(account.Bytes))
            .Set("s", BtValue.From(Ed25519.Sign(MonitorRequest.SignedText(account, seconds, false, [0]), member)))
            .Set("t", BtValue.From(seconds));
        Assert.Equal(expected, Handle(request).Reply);
    }

    [Fact]
    public void A_notification_carries_account_hash_namespace_times_and_optionally_data()
    {
        var account = AccountId.Parse("05" + new string('0', 64));
        var plain = MessageNotification.Encode(account, "hash", -3, 1000, 2000, data: null);
        Assert.Equal("d1:@33:" + Encoding.Latin1.GetString(account.Bytes) + "1:h4:hash1:ni-3e1:ti1000e1:zi2000ee", Encoding.Latin1.GetString(plain));
        var full = MessageNotification.Encode(account, "hash", -3, 1000, 2000, [1, 2]);
        Assert.EndsWith("1:zi2000e1:~2:\u0001\u0002e", Encoding.Latin1.GetString(full), StringComparison.Ordinal);
    }

    private static BtDict Without(BtDict dict, string key)
    {
        var copy = new BtDict();
        foreach (var (k, v) in dict.Entries.Where(e => Encoding.ASCII.GetString(e.Key) != key))
        {
            copy.Set(k, v);
        }

        return copy;
    }
}
