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
    public void Namespace_accepts_16_bit_integers_and_defaults_to_zero(string json, short expected) =>
        Assert.Equal(expected, Params(json).Namespace(allowAll: false));

    [Theory]
    [InlineData("""{"namespace":32768}""")]
    [InlineData("""{"namespace":"3"}""")]
    [InlineData("""{"namespace":1.5}""")]
    [InlineData("""{"namespace":"all"}""")]
    public void Namespace_refuses_everything_else(string json)
    {
        var error = Assert.Throws<RpcException>(() => Params(json).Namespace(allowAll: false));
        Assert.Equal(400, error.Status);
        Assert.StartsWith("invalid request: Invalid value given for 'namespace'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_namespaces_is_null_where_allowed() => Assert.Null(Params("""{"namespace":"all"}""").Namespace(allowAll: true));

    [Theory]
    [InlineData("""{"t":1700000000000}""", 1_700_000_000_000L)]
    [InlineData("""{"t":"1700000000000"}""", 1_700_000_000_000L)]
    public void Timestamps_accept_decimal_strings_only_where_allowed(string json, long expected)
    {
        Assert.Equal(expected, Params(json).RequireTimestamp("t", allowString: true));
        if (json.Contains('"', StringComparison.Ordinal) && json.Contains("\"1", StringComparison.Ordinal))
        {
            Assert.Throws<RpcException>(() => Params(json).RequireTimestamp("t"));
        }
    }

    [Fact]
    public void Missing_fields_name_the_field() =>
        Assert.Equal("invalid request: Required field 'timestamp' missing", Assert.Throws<RpcException>(() => Params("{}").RequireTimestamp("timestamp")).Message);

    [Theory]
    [InlineData(86, true)]
    [InlineData(88, true)]
    [InlineData(87, false)]
    [InlineData(64, false)]
    public void Signatures_are_86_chars_or_88_with_padding(int length, bool valid)
    {
        var text = Convert.ToBase64String(new byte[64]);
        text = length switch { 86 => text.TrimEnd('='), 88 => text, 87 => text[..87], _ => text[..length] };
        var p = Params($$"""{"signature":"{{text}}"}""");

        if (valid)
        {
            Assert.Equal(64, p.OptionalBase64("signature", 64)!.Length);
        }
        else
        {
            Assert.Throws<RpcException>(() => p.OptionalBase64("signature", 64));
        }
    }

    [Fact]
    public void A_single_string_is_a_one_element_list() =>
        Assert.Equal(["abc"], Params("""{"messages":"abc"}""").RequireStringList("messages"));
}
