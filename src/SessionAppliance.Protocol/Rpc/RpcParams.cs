using System.Globalization;
using System.Text.Json;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Rpc;

/// <summary>
/// Typed access to a request's <c>params</c> object with the reference's parse rules and error texts
/// (spec §3.1). Every failure is an <see cref="RpcException"/> with status 400.
/// </summary>
public readonly struct RpcParams(JsonElement element)
{
    /// <summary>Values below this are taken to be seconds, not milliseconds.</summary>
    private const long MinimumMilliseconds = 1_000_000_000;

    public JsonElement Element { get; } = element;

    public bool Has(string name) => Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement? Find(string name, string? alias = null)
    {
        if (Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        if (alias is not null && Element.TryGetProperty(alias, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        return null;
    }

    public JsonElement Require(string name, string? alias = null) =>
        Find(name, alias) ?? throw Missing(name);

    public string RequireString(string name, string? alias = null) => AsString(Require(name, alias), name);

    public string? OptionalString(string name, string? alias = null) => Find(name, alias) is { } v ? AsString(v, name) : null;

    public AccountId RequireAccount()
    {
        var text = RequireString("pubkey", "pubKey");
        return AccountId.TryParse(text, out var account) ? account : throw RpcException.BadRequest(AccountId.LengthError);
    }

    /// <summary>A non-negative integer; <paramref name="allowString"/> also accepts a decimal string.</summary>
    public long? OptionalUnsigned(string name, bool allowString = false)
    {
        if (Find(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number) && number <= long.MaxValue)
        {
            return (long)number;
        }

        if (allowString && value.ValueKind == JsonValueKind.String &&
            long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw WrongType(name, "unsigned integer");
    }

    public long RequireUnsigned(string name, bool allowString = false) => OptionalUnsigned(name, allowString) ?? throw Missing(name);

    public long? OptionalInteger(string name)
    {
        if (Find(name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw WrongType(name, "integer");
    }

    /// <summary>A timestamp in unix milliseconds; seconds-sized values are refused (spec §3.1).</summary>
    public long RequireTimestamp(string name, bool allowString = false)
    {
        var value = RequireUnsigned(name, allowString);
        return CheckMilliseconds(name, value);
    }

    public long? OptionalTimestamp(string name, bool allowString = false) =>
        OptionalUnsigned(name, allowString) is { } value ? CheckMilliseconds(name, value) : null;

    public bool OptionalBool(string name, bool fallback)
    {
        if (Find(name) is not { } value)
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "boolean"),
        };
    }

    /// <summary>A namespace −32768..32767, default 0; <paramref name="allowAll"/> maps "all" to <c>null</c>.</summary>
    public short? Namespace(bool allowAll)
    {
        if (Find("namespace") is not { } value)
        {
            return Namespaces.Default;
        }

        if (allowAll && value.ValueKind == JsonValueKind.String && value.GetString() == "all")
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number is >= short.MinValue and <= short.MaxValue)
        {
            return (short)number;
        }

        throw WrongType("namespace", allowAll ? "16-bit integer or \"all\"" : "16-bit integer");
    }

    /// <summary>Base64 of exactly <paramref name="length"/> bytes (signatures: 86 chars, or 88 ending in ==).</summary>
    public byte[]? OptionalBase64(string name, int length)
    {
        if (Find(name) is not { } value)
        {
            return null;
        }

        var text = AsString(value, name);
        return Base64Text.IsEncodingOf(text, length, out var bytes) ? bytes : throw WrongType(name, $"base64 encoded {length}-byte value");
    }

    /// <summary>Hex of exactly <paramref name="length"/> bytes, either case.</summary>
    public byte[]? OptionalHex(string name, int length)
    {
        if (Find(name) is not { } value)
        {
            return null;
        }

        var text = AsString(value, name);
        return text.Length == length * 2 && HexText.TryDecode(text, out var bytes) ? bytes : throw WrongType(name, $"hex encoded {length}-byte value");
    }

    /// <summary>A list of strings; a single string is accepted as a one-element list.</summary>
    public IReadOnlyList<string> RequireStringList(string name)
    {
        var value = Require(name);
        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, "string or list of strings");
        }

        var items = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw WrongType(name, "string or list of strings"));
        }

        return items;
    }

    public static RpcException Missing(string name) => RpcException.InvalidRequest($"Required field '{name}' missing");

    public static RpcException WrongType(string name, string expected) =>
        RpcException.InvalidRequest($"Invalid value given for '{name}': expected {expected}");

    private static string AsString(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(name, "string");

    private static long CheckMilliseconds(string name, long value) =>
        value >= MinimumMilliseconds
            ? value
            : throw RpcException.InvalidRequest($"Invalid timestamp for '{name}': timestamp must be in milliseconds");
}
