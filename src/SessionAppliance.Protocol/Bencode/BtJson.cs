using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Bencode;

/// <summary>
/// The reference's two encodings of one client request or answer (spec §2): JSON carries binary fields as hex or
/// base64 text, a bt dict carries them raw (and its answer too: <c>b64=false</c>, booleans as 0/1). Requests that
/// arrive as bt are turned into the JSON form the methods parse; answers to them are turned back.
/// </summary>
public static class BtJson
{
    /// <summary>Fields that are base64 text in JSON and raw bytes in bt.</summary>
    private static readonly HashSet<string> Base64Fields = ["data", "signature", "subaccount", "subaccount_sig", "revoke", "unrevoke"];

    /// <summary>Fields that are hex text in JSON and raw bytes in bt (when their raw length fits).</summary>
    private static readonly Dictionary<string, int> HexFields = new(StringComparer.Ordinal)
    {
        ["pubkey"] = 33,
        ["pubKey"] = 33,
        ["pubkey_ed25519"] = 32,
    };

    /// <summary>A bt request's params as the JSON the client methods read; strings that are not UTF-8 text are refused.</summary>
    public static JsonNode? ToJson(BtValue value, string? field = null) => value switch
    {
        BtInteger integer => integer.Value > long.MaxValue ? JsonValue.Create((ulong)integer.Value) : JsonValue.Create((long)integer.Value),
        BtString text => StringToJson(text.Value, field),
        BtList list => new JsonArray([.. list.Items.Select(item => ToJson(item, field))]),
        BtDict dict => ObjectOf(dict),
        _ => throw new ArgumentException("unknown bt value", nameof(value)),
    };

    /// <summary>An answer for a bt request: binary fields raw, booleans 0/1, nulls left out.</summary>
    public static BtValue FromJson(JsonNode? node, string? field = null) => FromJson(node, field, request: false);

    /// <summary>A JSON request's params as a bt dict for a peer (<c>sn.storage_cc</c>): hex keys raw too.</summary>
    public static BtValue RequestFromJson(JsonNode? node) => FromJson(node, null, request: true);

    private static BtValue FromJson(JsonNode? node, string? field, bool request)
    {
        switch (node)
        {
            case JsonObject obj:
                var dict = new BtDict();
                foreach (var (name, item) in obj)
                {
                    if (item is not null)
                    {
                        dict.Set(name, FromJson(item, name, request));
                    }
                }

                return dict;
            case JsonArray array:
                return new BtList([.. array.Where(i => i is not null).Select(item => FromJson(item, field, request))]);
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.True => BtValue.From(1L),
                    JsonValueKind.False => BtValue.From(0L),
                    JsonValueKind.String => StringFromJson(value.GetValue<string>(), field, request),
                    JsonValueKind.Number when long.TryParse(value.ToJsonString(), out var signed) => BtValue.From(signed),
                    JsonValueKind.Number when ulong.TryParse(value.ToJsonString(), out var unsigned) => BtValue.From(unsigned),
                    _ => BtValue.From(value.ToJsonString()),
                };
            default:
                return BtValue.From(string.Empty);
        }
    }

    private static BtValue StringFromJson(string text, string? field, bool request)
    {
        if (field is not null && Base64Fields.Contains(field) && Base64Text.TryDecode(text, out var raw))
        {
            return BtValue.From(raw);
        }

        return request && field is not null && HexFields.TryGetValue(field, out var length) && text.Length == 2 * length && HexText.TryDecode(text, out var key)
            ? BtValue.From(key)
            : BtValue.From(text);
    }

    private static JsonObject ObjectOf(BtDict dict)
    {
        var obj = new JsonObject();
        foreach (var (key, item) in dict.Entries)
        {
            var name = Utf8(key) ?? throw new BtFormatException("a dict key is not UTF-8 text");
            obj[name] = ToJson(item, name);
        }

        return obj;
    }

    private static JsonValue StringToJson(byte[] raw, string? field)
    {
        if (field is not null && Base64Fields.Contains(field))
        {
            return JsonValue.Create(Convert.ToBase64String(raw));
        }

        if (field is not null && HexFields.TryGetValue(field, out var rawLength) && raw.Length == rawLength)
        {
            return JsonValue.Create(HexText.Encode(raw));
        }

        return JsonValue.Create(Utf8(raw) ?? throw new BtFormatException($"'{field}' is not UTF-8 text"));
    }

    private static string? Utf8(byte[] raw) => System.Text.Unicode.Utf8.IsValid(raw) ? Encoding.UTF8.GetString(raw) : null;
}
