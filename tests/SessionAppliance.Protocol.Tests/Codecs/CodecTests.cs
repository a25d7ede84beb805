using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Tests.Codecs;

public class CodecTests
{
    [Fact]
    public void Base32z_uses_the_z_base_32_alphabet()
    {
        Assert.Equal("yy", Base32z.Encode([0]));
        Assert.Equal("9h", Base32z.Encode([0xFF]));
        Assert.Equal(52, Base32z.Encode(new byte[32]).Length);
    }

    [Fact]
    public void Account_ids_accept_either_hex_case_and_print_lower_case()
    {
        var account = AccountId.Parse("05" + new string('A', 64));

        Assert.Equal("05" + new string('a', 64), account.Hex);
        Assert.True(account.IsSessionId);
        Assert.False(AccountId.TryParse("05" + new string('a', 62), out _));
    }

    [Theory]
    [InlineData("AQID", new byte[] { 1, 2, 3 })]
    [InlineData("AQ", new byte[] { 1 })]
    [InlineData("AQ==", new byte[] { 1 })]
    public void Base64_is_accepted_with_or_without_padding(string text, byte[] expected)
    {
        Assert.True(Base64Text.TryDecode(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("A Q==")]
    [InlineData("AQ-_")]
    public void Malformed_base64_is_refused(string text) => Assert.False(Base64Text.TryDecode(text, out _));

    [Theory]
    [InlineData(0, true, true)]
    [InlineData(-10, true, false)]
    [InlineData(60, true, true)]
    [InlineData(2, false, true)]
    [InlineData(-1, false, false)]
    [InlineData(-21, false, false)]
    [InlineData(-11, false, true)]
    public void Namespace_rules(int ns, bool publicInbox, bool retrieveNeedsAuth)
    {
        Assert.Equal(publicInbox, Namespaces.IsPublicInbox(ns));
        Assert.Equal(retrieveNeedsAuth, Namespaces.RetrieveNeedsAuth(ns));
        Assert.Equal(-ns % 100 == 11 && ns < 0, Namespaces.IsUnrevocable(ns));
    }
}
