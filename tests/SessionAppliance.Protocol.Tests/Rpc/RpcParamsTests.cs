using System.Text.Json;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Protocol.Tests.Rpc;

public class RpcParamsTests
{
    private static RpcParams Params(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    [Theory]
    [InlineData("""{"namespace":-32768}""", (short)-32768)]
    [InlineData("""{"namespace":32767}""", (short)32767)]
    [InlineData("""{}""", (short)0)]
    [InlineData("""{"namespace":null}""", (short)0)]
    public void Namespace_accepts_16_bit_integers_and_defaults_to_zero(string json, short expected) =>
        Assert.Equal(expected, Params(json).Namespace());

    [Theory]
    [InlineData("""{"namespace":32768}""", "invalid request: Invalid value given for 'namespace': value out of range")]
    [InlineData("""{"namespace":"everything"}""", "invalid request: Invalid value given for 'namespace': expected integer or \"all\"")]
    public void Namespace_errors_use_the_reference_text(string json, string expected) =>
        Assert.Equal(expected, Assert.Throws<RpcException>(() => Params(json).Namespace()).Message);

    [Fact]
    public void All_namespaces_is_null() => Assert.Null(Params("""{"namespace":"all"}""").Namespace());

    [Theory]
    [InlineData("""{"t":"1700000000000"}""", "Invalid value given for 't': expected integer timestamp (in milliseconds)")]
    [InlineData("""{"t":1.5}""", "Invalid value given for 't': expected integer timestamp (in milliseconds)")]
    [InlineData("""{"t":1e12}""", "Invalid value given for 't': expected integer timestamp (in milliseconds)")]
    [InlineData("""{"t":-5}""", "Invalid value given for 't': expected integer timestamp (in milliseconds)")]
    [InlineData("""{"t":99999999999999999999999}""", "Invalid value given for 't': expected integer timestamp (in milliseconds)")]
    public void Timestamps_are_non_negative_integers_only(string json, string expected) =>
        Assert.Equal("invalid request: " + expected, Assert.Throws<RpcException>(() => Params(json).CheckTypes(("t", FieldType.Timestamp))).Message);

    [Theory]
    [InlineData(999_999_999, false)]
    [InlineData(1_000_000_000, true)]
    [InlineData(1_700_000_000_000, true)]
    public void Timestamps_below_a_million_seconds_are_taken_for_seconds(long value, bool accepted)
    {
        var p = Params($$"""{"t":{{value}}}""");
        if (accepted)
        {
            Assert.Equal(value, p.RequireTimestamp("t"));
        }
        else
        {
            Assert.Equal("invalid request: Invalid timestamp for 't': timestamp must be in milliseconds", Assert.Throws<RpcException>(() => p.RequireTimestamp("t")).Message);
        }
    }

    [Fact]
    public void Type_errors_are_reported_for_the_first_bad_field_in_ascii_order()
    {
        var p = Params("""{"timestamp":"x","namespace":"y","Zed":true,"data":5}""");

        var error = Assert.Throws<RpcException>(() => p.CheckTypes(("timestamp", FieldType.Timestamp), ("namespace", FieldType.Namespace), ("data", FieldType.String)));

        Assert.Equal("invalid request: Invalid value given for 'data': expected string", error.Message);
    }

    [Fact]
    public void Missing_fields_name_the_field() =>
        Assert.Equal("invalid request: Required field 'timestamp' missing", Assert.Throws<RpcException>(() => Params("{}").RequireTimestamp("timestamp")).Message);

    [Fact]
    public void Pubkey_and_its_alias_cannot_both_be_given()
    {
        var hex = "05" + new string('a', 64);
        var error = Assert.Throws<RpcException>(() => Params($$"""{"pubkey":"{{hex}}","pubKey":"{{hex}}"}""").RequireAccountWithAlias());

        Assert.Equal("invalid request: Cannot specify both 'pubkey' and 'pubKey'", error.Message);
    }

    [Fact]
    public void A_33_byte_string_is_taken_as_a_raw_pubkey_as_the_reference_does() =>
        Assert.Equal(0x05, Params("""{"pubkey":"\u0005abcdefghijklmnopqrstuvwxyzABCDEF"}""").RequireAccount().Prefix);

    [Fact]
    public void Wrong_pubkey_length_is_a_parse_error() =>
        Assert.Equal("invalid request: Pubkey must be 66 hex digits (33 bytes) long", Assert.Throws<RpcException>(() => Params("""{"pubkey":"05ab"}""").RequireAccount()).Message);

    [Theory]
    [InlineData(86, true)]
    [InlineData(88, true)]
    [InlineData(87, false)]
    [InlineData(64, false)]
    public void Signatures_are_86_chars_or_88_with_padding(int length, bool valid)
    {
        var text = Convert.ToBase64String(new byte[64]);
        text = length switch { 86 => text.TrimEnd('='), 88 => text, 87 => text[..87], _ => text[..length] };
        var p = Params($$"""{"pubkey":"03{{new string('a', 64)}}","signature":"{{text}}"}""");

        if (valid)
        {
            Assert.Equal(64, AuthReader.Read(p, p.RequireAccount()).Signature.Length);
        }
        else
        {
            Assert.Equal("invalid request: invalid signature: expected base64 encoded Ed25519 signature", Assert.Throws<RpcException>(() => AuthReader.Read(p, p.RequireAccount())).Message);
        }
    }

    [Fact]
    public void A_missing_signature_is_a_parse_error() =>
        Assert.Equal("invalid request: Required field 'signature' missing",
            Assert.Throws<RpcException>(() => AuthReader.Read(Params("{}"), SessionAppliance.Protocol.Accounts.AccountId.Parse("05" + new string('a', 64)))).Message);

    [Fact]
    public void A_single_string_is_a_one_element_list() =>
        Assert.Equal(["abc"], Params("""{"messages":"abc"}""").OptionalStringList("messages"));
}
