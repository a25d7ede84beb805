using System.Text;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;

namespace SessionAppliance.Protocol.Tests.Auth;

public class SignedMessagesTests
{
    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    private static readonly AccountId Owner = AccountId.Parse("05" + new string('b', 64));

    [Fact]
    public void Namespace_zero_signs_as_empty_others_as_decimal_and_all_as_all()
    {
        Assert.Equal("store1700000000000", Text(SignedMessages.Store(0, 1_700_000_000_000)));
        Assert.Equal("store-111700000000000", Text(SignedMessages.Store(-11, 1_700_000_000_000)));
        Assert.Equal("retrieve31700000000000", Text(SignedMessages.Retrieve(3, 1_700_000_000_000)));
        Assert.Equal("delete_allall1700000000000", Text(SignedMessages.DeleteAll(null, 1_700_000_000_000)));
        Assert.Equal("delete_all1700000000000", Text(SignedMessages.DeleteAll(0, 1_700_000_000_000)));
        Assert.Equal("delete_before51700000000000", Text(SignedMessages.DeleteBefore(5, 1_700_000_000_000)));
        Assert.Equal("expire_allall1700000000000", Text(SignedMessages.ExpireAll(null, 1_700_000_000_000)));
    }

    [Fact]
    public void Delete_signs_hashes_in_request_order_without_timestamp()
    {
        Assert.Equal("deleteBBBAAA", Text(SignedMessages.Delete(["BBB", "AAA"])));
    }

    [Fact]
    public void Expire_signs_mode_expiries_then_hashes()
    {
        Assert.Equal("expireshorten1700000000000h1h2", Text(SignedMessages.Expire("shorten", [1_700_000_000_000], ["h1", "h2"])));
        Assert.Equal("expire1700000000000h1", Text(SignedMessages.Expire("", [1_700_000_000_000], ["h1"])));
        Assert.Equal("expire1700000000001700000000001h1h2", Text(SignedMessages.Expire("", [170_000_000_000, 1_700_000_000_001], ["h1", "h2"])));
    }

    [Fact]
    public void Get_expiries_signs_timestamp_then_hashes()
    {
        Assert.Equal("get_expiries1700000000000h1h2", Text(SignedMessages.GetExpiries(1_700_000_000_000, ["h1", "h2"])));
    }

    [Fact]
    public void Revocation_signs_method_timestamp_then_raw_token_bytes()
    {
        byte[] token = [.. Enumerable.Range(0, 36).Select(i => (byte)i)];

        var bytes = SignedMessages.Revocation("revoke_subaccount", 1_700_000_000_000, [token]);

        Assert.Equal([.. Encoding.ASCII.GetBytes("revoke_subaccount1700000000000"), .. token], bytes);
    }

    [Fact]
    public void Node_replies_sign_the_owner_hex_with_prefix_first()
    {
        Assert.Equal(Owner.Hex + "r1r2d1", Text(SignedMessages.DeleteReply(Owner, ["r1", "r2"], ["d1"])));
        Assert.Equal(Owner.Hex + "1700000000000ab", Text(SignedMessages.BulkReply(Owner, 1_700_000_000_000, ["a", "b"])));
        Assert.Equal(Owner.Hex + "5r1u1h17",
            Text(SignedMessages.ExpireReply(Owner, [5], ["r1"], ["u1"], [new KeyValuePair<string, long>("h1", 7)])));
        Assert.Equal("the-hash", Text(SignedMessages.StoreReply("the-hash")));
    }

    [Fact]
    public void Strings_are_signed_as_their_utf8_bytes_as_the_reference_signs_raw_request_bytes()
    {
        var signed = SignedMessages.GetExpiries(1700000000000, ["naïve"]);

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("get_expiries1700000000000naïve"), signed);
    }
}
