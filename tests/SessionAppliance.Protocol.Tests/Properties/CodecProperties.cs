using System.Text;
using CsCheck;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Protocol.Tests.Properties;

/// <summary>Codecs hold for any input, not just the examples: round trips, and no exception from any bytes.</summary>
public class CodecProperties
{
    private static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 300];

    [Fact]
    public void Base64_round_trips_padded_and_unpadded() =>
        Bytes.Sample(bytes =>
            Assert.True(Base64Text.TryDecode(Base64Text.Encode(bytes), out var padded) && padded.SequenceEqual(bytes)
            && Base64Text.TryDecode(Base64Text.EncodeUnpadded(bytes), out var unpadded) && unpadded.SequenceEqual(bytes)));

    /// <summary>Like the reference's decoder, unused trailing bits are ignored ("C9" and "Cw" are both 0x0B).</summary>
    [Fact]
    public void Base64_decoding_any_text_never_throws_and_yields_three_bytes_per_four_characters() =>
        Gen.String[Gen.Char["ABCab019+/= -_\n"], 0, 60].Sample(text =>
            Assert.True(!Base64Text.TryDecode(text, out var bytes) || bytes.Length == text.TrimEnd('=').Length * 3 / 4));

    [Fact]
    public void Hex_round_trips_and_any_text_is_decoded_or_refused_without_throwing()
    {
        Bytes.Sample(bytes => Assert.True(HexText.TryDecode(HexText.Encode(bytes), out var back) && back.SequenceEqual(bytes)));
        Gen.String[Gen.Char["0123456789abcdefABCDEFxz "], 0, 80].Sample(text =>
            Assert.True(HexKey.Describe(text, out var key) is null == (key.Length == HexKey.Length)));
    }

    [Fact]
    public void Length_framing_splits_what_it_joins_and_any_bytes_split_consistently()
    {
        Gen.Select(Bytes, Bytes).Sample((first, rest) =>
            Assert.True(LengthPrefixed.TrySplit(LengthPrefixed.Join(first, rest), out var a, out var b)
            && a.Span.SequenceEqual(first) && b.Span.SequenceEqual(rest)));
        Bytes.Sample(data =>
            Assert.True(LengthPrefixed.TrySplit(data, out var a, out var b) == (LengthPrefixed.Describe(data) is null)
            && (LengthPrefixed.Describe(data) is not null || a.Length + b.Length + 4 == data.Length)));
    }

    [Fact]
    public void A_built_onion_layer_parses_back_to_what_was_built() =>
        Gen.Select(Bytes, Gen.Byte.Array[32], Gen.Enum<OnionCipher>(), Gen.Int[0, 15]).Sample((ciphertext, key, cipher, hop) =>
            Assert.True(OnionPayload.TryParse(OnionPayload.Build(ciphertext, key, cipher, hop), out var payload, out _)
            && payload.Ciphertext.Span.SequenceEqual(ciphertext) && payload.EphemeralKey.SequenceEqual(key)
            && payload.Cipher == cipher && payload.HopNumber == hop));

    [Fact]
    public void Onion_parsing_answers_every_byte_string_with_a_result_or_an_error_never_an_exception() =>
        Gen.OneOf(Bytes, Gen.String[0, 100].Select(s => Encoding.UTF8.GetBytes(s)).Select(json => LengthPrefixed.Join([1, 2], json))).Sample(data =>
            Assert.True((OnionPayload.TryParse(data, out _, out var error) || error.StartsWith(OnionPayload.ErrorPrefix, StringComparison.Ordinal))
            && (OnionInstruction.TryParse(data, out _, out var instructionError) || instructionError is "Invalid json" or "Invalid url")));
}
