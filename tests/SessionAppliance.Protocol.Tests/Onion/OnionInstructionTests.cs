using System.Text;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Protocol.Tests.Onion;

/// <summary>Spec §10: session-storage-server unit_test/onion_requests.cpp.</summary>
public class OnionInstructionTests
{
    private static byte[] Plaintext(string control) => [0x0a, 0, 0, 0, .. "ciphertext"u8, .. Encoding.UTF8.GetBytes(control)];

    [Fact]
    public void Headers_means_final_destination()
    {
        Assert.True(OnionInstruction.TryParse(Plaintext("""{"headers": "something"}"""), out var instruction, out _));
        var final = Assert.IsType<OnionInstruction.FinalDestination>(instruction);
        Assert.Equal("ciphertext", Encoding.ASCII.GetString(final.Request.Span));
        Assert.False(final.Json);
        Assert.True(final.Base64);
    }

    [Fact]
    public void Host_means_proxy_over_https_on_443_by_default()
    {
        Assert.True(OnionInstruction.TryParse(Plaintext("""{"host":"host","target":"/loki/v3/lsrpc"}"""), out var instruction, out _));
        var proxy = Assert.IsType<OnionInstruction.Proxy>(instruction);
        Assert.Equal(("host", "https", 443), (proxy.Host, proxy.Protocol, proxy.Port));
    }

    [Fact]
    public void Destination_means_relay_with_aes_gcm_by_default()
    {
        var control = """{"destination":"ffffeeeeddddccccbbbbaaaa9999888877776666555544443333222211110000","ephemeral_key":"0000111122223333444455556666777788889999000011112222333344445555"}""";

        Assert.True(OnionInstruction.TryParse(Plaintext(control), out var instruction, out _));
        var relay = Assert.IsType<OnionInstruction.Relay>(instruction);
        Assert.Equal(OnionCipher.AesGcm, relay.Cipher);
        Assert.Equal("ffffeeeeddddccccbbbbaaaa9999888877776666555544443333222211110000", Convert.ToHexStringLower(relay.Destination));
        Assert.Equal("ciphertext", Encoding.ASCII.GetString(relay.Layer.Span));
    }

    [Theory]
    [InlineData("/loki/v3/lsrpc", true)]
    [InlineData("/loki/oxen/v4/lsrpc", true)]
    [InlineData("/oxen/v3/lsrpc", true)]
    [InlineData("/not_loki/v3/lsrpc", false)]
    [InlineData("/loki/v3", false)]
    [InlineData("/loki/v3/lsrpc?foo=bar", false)]
    public void Proxy_targets_are_filtered_as_the_reference_does(string target, bool allowed) =>
        Assert.Equal(allowed, OnionInstruction.IsAllowedTarget(target));

    [Theory]
    [InlineData("""{"host":"h","target":"/loki/v3"}""", "Invalid url")]
    [InlineData("""{"host":"h","target":"/loki/v3/lsrpc","protocol":"ftp"}""", "Invalid url")]
    [InlineData("""not json""", "Invalid json")]
    [InlineData("""{"destination":"ff"}""", "Invalid json")]
    [InlineData("""{"host":7,"target":"/loki/v3/lsrpc"}""", "Invalid json")]
    [InlineData("""{"host":"h"}""", "Invalid json")]
    [InlineData("""{"host":"h","target":"/loki/v3/lsrpc","port":"443"}""", "Invalid json")]
    [InlineData("""{"host":"h","target":"/loki/v3/lsrpc","protocol":7}""", "Invalid json")]
    [InlineData("""{"headers":{},"json":"yes"}""", "Invalid json")]
    [InlineData("""{"headers":{},"base64":1}""", "Invalid json")]
    public void Bad_control_json_or_url_is_refused(string control, string expected)
    {
        Assert.False(OnionInstruction.TryParse(Plaintext(control), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0a000000")]
    [InlineData("ffffffff00")]
    public void Truncated_or_overlong_lengths_are_refused(string hex)
    {
        Assert.False(OnionInstruction.TryParse(Convert.FromHexString(hex), out _, out _));
        Assert.False(OnionPayload.TryParse(Convert.FromHexString(hex), out _, out var error));
        Assert.StartsWith(OnionPayload.ErrorPrefix, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"ephemeral_key":"00"}""")]
    [InlineData("""{"ephemeral_key":"0000111122223333444455556666777788889999000011112222333344445555","enc_type":"rot13"}""")]
    [InlineData("""{"ephemeral_key":"0000111122223333444455556666777788889999000011112222333344445555","hop_no":"2"}""")]
    [InlineData("""[]""")]
    public void Bad_entry_metadata_is_refused(string json)
    {
        Assert.False(OnionPayload.TryParse(Plaintext(json), out _, out var error));
        Assert.StartsWith(OnionPayload.ErrorPrefix, error, StringComparison.Ordinal);
    }

    private const string Key = "0000111122223333444455556666777788889999000011112222333344445555";

    [Theory]
    [InlineData("", "[json.exception.parse_error.101] parse error at line 1, column 1: attempting to parse an empty input; check that your input string or stream contains the expected JSON")]
    [InlineData("[]", "[json.exception.type_error.304] cannot use at() with array")]
    [InlineData("{}", "[json.exception.out_of_range.403] key 'ephemeral_key' not found")]
    [InlineData("""{"ephemeral_key":7}""", "[json.exception.type_error.303] incompatible ReferenceType for get_ref, actual type is number")]
    [InlineData("""{"ephemeral_key":"abc"}""", "Hex key data is invalid: data is not hex")]
    [InlineData("""{"ephemeral_key":"zz"}""", "Hex key data is invalid: data is not hex")]
    [InlineData("""{"ephemeral_key":"0011"}""", "Hex key data is invalid: expected 32 hex digits, received 4")]
    [InlineData("""{"ephemeral_key":"KEY","enc_type":true}""", "[json.exception.type_error.303] incompatible ReferenceType for get_ref, actual type is boolean")]
    [InlineData("""{"ephemeral_key":"KEY","enc_type":"rot13"}""", "Invalid encryption type rot13")]
    [InlineData("""{"ephemeral_key":"KEY","hop_no":"2"}""", "[json.exception.type_error.302] type must be number, but is string")]
    [InlineData("""{"ephemeral_key":"KEY","hop_no":null}""", "[json.exception.type_error.302] type must be number, but is null")]
    public void Entry_metadata_errors_read_as_the_reference_words_them(string json, string expected)
    {
        Assert.False(OnionPayload.TryParse(Plaintext(json.Replace("KEY", Key, StringComparison.Ordinal)), out _, out var error));

        Assert.Equal(OnionPayload.ErrorPrefix + expected, error);
    }

    [Theory]
    [InlineData("00", "Unexpected payload size; expected ciphertext size")]
    [InlineData("0a000000010203", "Unexpected payload size 3, expected >= 10")]
    public void Entry_framing_errors_read_as_the_reference_words_them(string hex, string expected)
    {
        Assert.False(OnionPayload.TryParse(Convert.FromHexString(hex), out _, out var error));

        Assert.Equal(OnionPayload.ErrorPrefix + expected, error);
    }

    [Theory]
    [InlineData("-1", 0)]
    [InlineData("3", 3)]
    [InlineData("2.9", 2)]
    [InlineData("true", 1)]
    [InlineData("4294967298", 2)]
    public void A_hop_number_is_cast_as_the_reference_casts_it_and_never_negative(string given, int expected)
    {
        Assert.True(OnionPayload.TryParse(Plaintext($$"""{"ephemeral_key":"{{Key}}","hop_no":{{given}}}"""), out var payload, out _));

        Assert.Equal(expected, payload.HopNumber);
    }

    [Fact]
    public void A_built_layer_parses_back()
    {
        var layer = OnionPayload.Build([1, 2, 3], new byte[32], OnionCipher.XChaCha20Poly1305, 2);

        Assert.True(OnionPayload.TryParse(layer, out var payload, out _));
        Assert.Equal((OnionCipher.XChaCha20Poly1305, 2, 3), (payload.Cipher, payload.HopNumber, payload.Ciphertext.Length));
    }

    /// <summary>Found by scripts/fuzz onion: System.Text.Json parses these and throws only when the string is read.</summary>
    [Fact]
    public void Ill_formed_utf8_inside_a_json_string_is_refused_not_thrown()
    {
        byte[] control = [.. "{\"ephemeral_key\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        Assert.False(OnionPayload.TryParse(Framed(control), out _, out var error));
        Assert.Equal(OnionPayload.ErrorPrefix + "[json.exception.parse_error.101] parse error at line 1, column 19: syntax error while parsing value - invalid string: ill-formed UTF-8 byte", error);
        Assert.False(OnionInstruction.TryParse(Framed([.. "{\"destination\":\""u8, 0xC3, .. "\"}"u8]), out _, out var instructionError));
        Assert.Equal("Invalid json", instructionError);
    }

    /// <summary>Found in review: valid UTF-8 that System.Text.Json still throws on when the string is read.</summary>
    [Fact]
    public void An_escaped_lone_surrogate_is_refused_not_thrown()
    {
        Assert.False(OnionPayload.TryParse(Framed("""{"ephemeral_key":"\ud800"}"""u8.ToArray()), out _, out var error));
        Assert.StartsWith(OnionPayload.ErrorPrefix + "[json.exception.parse_error.101]", error, StringComparison.Ordinal);
        Assert.False(OnionInstruction.TryParse(Framed("""{"destination":"\ud800","ephemeral_key":"\ud800"}"""u8.ToArray()), out _, out var instructionError));
        Assert.Equal("Invalid json", instructionError);
    }

    private static byte[] Framed(byte[] control) => [0x0a, 0, 0, 0, .. "ciphertext"u8, .. control];
}
