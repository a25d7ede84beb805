using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Protocol.Tests.Rpc;

/// <summary>Subaccount token texts as the reference's client_rpc_endpoints.cpp reads them.</summary>
public class AuthReaderTests
{
    private static readonly byte[] Token = [.. Enumerable.Range(1, 36).Select(i => (byte)i)];

    [Fact]
    public void A_token_is_48_base64_characters_or_72_hex_digits()
    {
        Assert.Equal(Token, AuthReader.TryParseToken(Convert.ToBase64String(Token))!.Bytes);
        Assert.Equal(Token, AuthReader.TryParseToken(Convert.ToHexStringLower(Token))!.Bytes);
        Assert.Null(AuthReader.TryParseToken(Convert.ToBase64String(Token)[..47]));
    }

    [Theory]
    [InlineData(34)]
    [InlineData(35)]
    public void A_padded_48_character_text_fills_a_zeroed_token_as_the_reference_does(int decoded)
    {
        var text = Convert.ToBase64String(Token[..decoded]);
        Assert.Equal(48, text.Length);

        var token = AuthReader.TryParseToken(text)!;

        Assert.Equal([.. Token[..decoded], .. new byte[36 - decoded]], token.Bytes);
    }

    [Fact]
    public void Forty_eight_hex_digits_are_read_as_base64_because_base64_is_tried_first()
    {
        var text = new string('0', 48);

        Assert.Equal(Convert.FromBase64String(text), AuthReader.TryParseToken(text)!.Bytes);
    }
}
