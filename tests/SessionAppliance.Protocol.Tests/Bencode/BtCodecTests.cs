using System.Text;
using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Bencode;

namespace SessionAppliance.Protocol.Tests.Bencode;

public sealed class BtCodecTests
{
    [Fact]
    public void Encodes_dicts_in_key_order_with_raw_strings_and_signed_integers()
    {
        var dict = new BtDict().Set("z", BtValue.From(-5)).Set("a", new BtList([BtValue.From(0L), BtValue.From("hi")])).Set("m", BtValue.From(ulong.MaxValue));
        Assert.Equal("d1:ali0e2:hie1:mi18446744073709551615e1:zi-5ee", Encoding.ASCII.GetString(BtWriter.Encode(dict)));
    }

    [Theory]
    [InlineData("i-0e")]
    [InlineData("i01e")]
    [InlineData("ie")]
    [InlineData("i18446744073709551616e")]
    [InlineData("i-9223372036854775809e")]
    [InlineData("5:abc")]
    [InlineData("01:a")]
    [InlineData("d1:bi1e1:ai2ee")]
    [InlineData("d1:ai1e1:ai2ee")]
    [InlineData("li1e")]
    [InlineData("i1ei2e")]
    [InlineData("d1:ae")]
    [InlineData("-1:a")]
    public void Refuses_malformed_or_non_canonical_input(string input) =>
        Assert.Throws<BtFormatException>(() => BtReader.Parse(Encoding.ASCII.GetBytes(input)));

    [Fact]
    public void Round_trips_nested_values()
    {
        var input = "d4:datali1ei-9223372036854775808e0:e1:~3:\u0000\u0001\u0002e"u8.ToArray();
        Assert.Equal(input, BtWriter.Encode(BtReader.Parse(input)));
    }

    [Fact]
    public void Refuses_deep_nesting_without_recursing_forever()
    {
        var deep = Encoding.ASCII.GetBytes(new string('l', 10_000) + new string('e', 10_000));
        Assert.Throws<BtFormatException>(() => BtReader.Parse(deep));
    }

    [Fact]
    public void A_bt_request_reads_as_the_json_request_with_binary_fields_encoded()
    {
        var pubkey = new byte[33];
        pubkey[0] = 0x05;
        var request = new BtDict()
            .Set("pubkey", BtValue.From(pubkey))
            .Set("data", BtValue.From(new byte[] { 0xff, 0x00 }))
            .Set("namespace", BtValue.From(-10))
            .Set("signature", BtValue.From(new byte[64]))
            .Set("timestamp", BtValue.From(1_700_000_000_000L));
        var json = (JsonObject)BtJson.ToJson(request)!;
        Assert.Equal("05" + new string('0', 64), (string)json["pubkey"]!);
        Assert.Equal("/wA=", (string)json["data"]!);
        Assert.Equal(-10, (long)json["namespace"]!);
        Assert.Equal(88, ((string)json["signature"]!).Length);
        Assert.Equal(1_700_000_000_000L, (long)json["timestamp"]!);
    }

    [Fact]
    public void A_json_answer_becomes_bt_with_raw_data_and_booleans_as_integers()
    {
        var answer = new JsonObject { ["more"] = false, ["messages"] = new JsonArray(new JsonObject { ["data"] = "/wA=", ["hash"] = "abc" }), ["t"] = 5 };
        var bt = BtWriter.Encode(BtJson.FromJson(answer));
        Assert.Equal("d8:messagesld4:data2:\u00ff\u00004:hash3:abcee4:morei0e1:ti5ee", Encoding.Latin1.GetString(bt));
    }
}
