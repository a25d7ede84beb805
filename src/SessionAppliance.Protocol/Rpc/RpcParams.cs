using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Rpc;

/// <summary>
/// Typed access to a request's <c>params</c> object with the reference's parse rules and error texts
/// (spec §3.1). A method first declares its fields with <see cref="CheckTypes"/>: type errors are reported for
/// the first offending field in ASCII order, as the reference does; the getters then read checked values.
/// Every failure is an <see cref="RpcException"/> with status 400 and the "invalid request: " prefix.
/// </summary>
public readonly struct RpcParams(JsonElement element)
{
    /// <summary>Values below this are taken to be seconds, not milliseconds.</summary>
    private const long MinimumMilliseconds = 1_000_000_000;

    public JsonElement Element { get; } = element;

    /// <summary>Absent and JSON null both count as "not provided".</summary>
    public bool Has(string name) => Find(name) is not null;

    public JsonElement? Find(string name) =>
        Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public JsonElement Require(string name) => Find(name) ?? throw Missing(name);

    /// <summary>Checks every declared field that is present, in ASCII order of the names.</summary>
    public void CheckTypes(params (string Name, FieldType Type)[] fields)
    {
        foreach (var (name, type) in fields.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (Find(name) is not { } value)
            {
                continue;
            }

            if (!Fits(value, type))
            {
                throw WrongType(name, Describe(type));
            }

            // The reference checks these values while reading each field, before any other check.
            _ = type switch
            {
                FieldType.Timestamp => OptionalTimestamp(name),
                FieldType.Namespace or FieldType.NamespaceOrAll => Namespace(),
                _ => null,
            };
        }
    }

    public string RequireString(string name) => Require(name).GetString()!;

    public string? OptionalString(string name) => Find(name)?.GetString();

    /// <summary>Exactly one of "pubkey" or its alias "pubKey" (store, retrieve, get_swarm).</summary>
    public AccountId RequireAccountWithAlias(string lengthError = AccountId.LengthError)
    {
        var lower = OptionalString("pubkey");
        var camel = OptionalString("pubKey");
        if (lower is not null && camel is not null)
        {
            throw RpcException.InvalidRequest("Cannot specify both 'pubkey' and 'pubKey'");
        }

        return ParseAccount(lower ?? camel ?? throw Missing("pubkey"), lengthError);
    }

    public AccountId RequireAccount() => ParseAccount(RequireString("pubkey"), AccountId.LengthError);

    /// <summary>A 32-bit integer as the reference reads it (wider values are truncated).</summary>
    public int? OptionalInt(string name) => Find(name) is { } value ? unchecked((int)Wrapped(value)) : null;

    public bool OptionalBool(string name, bool fallback) => Find(name)?.GetBoolean() ?? fallback;

    /// <summary>A timestamp in unix milliseconds; seconds-sized values are refused (spec §3.1).</summary>
    public long RequireTimestamp(string name) => OptionalTimestamp(name) ?? throw Missing(name);

    public long? OptionalTimestamp(string name)
    {
        if (Find(name) is not { } value)
        {
            return null;
        }

        var unsigned = value.GetUInt64();
        return unsigned is >= MinimumMilliseconds and <= long.MaxValue
            ? (long)unsigned
            : throw RpcException.InvalidRequest($"Invalid timestamp for '{name}': timestamp must be in milliseconds");
    }

    /// <summary>
    /// Store's integer-or-decimal-string fields, read as the reference's from_chars reads them: int64 for a
    /// signed field, uint64 for an unsigned one (above INT64_MAX it wraps negative, as a number does, and the
    /// caller's range check refuses it). A bad string is quoted back as the reference's JSON library dumps it.
    /// </summary>
    public long? OptionalIntegerOrString(string name, bool allowNegative)
    {
        if (Find(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return Wrapped(value);
        }

        var text = value.GetString()!;

        // .NET would also take trailing NULs; from_chars must consume the whole string.
        var digits = text.Length > 0 && text[0] != '+' && !text.Contains('\0', StringComparison.Ordinal);
        if (digits && allowNegative && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed))
        {
            return signed;
        }

        if (digits && !allowNegative && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned))
        {
            return unchecked((long)unsigned);
        }

        throw RpcException.InvalidRequest($"Invalid value given for '{name}': {CanonicalJson.Serialize(JsonValue.Create(text))}");
    }

    /// <summary>A namespace −32768..32767, default 0; where allowed, "all" gives <c>null</c>.</summary>
    public short? Namespace()
    {
        if (Find("namespace") is not { } value)
        {
            return Namespaces.Default;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() == "all" ? null : throw WrongType("namespace", Describe(FieldType.NamespaceOrAll));
        }

        return Wrapped(value) is var number && number is >= short.MinValue and <= short.MaxValue
            ? (short)number
            : throw RpcException.InvalidRequest("Invalid value given for 'namespace': value out of range");
    }

    /// <summary>A string list (one string is a one-element list).</summary>
    public IReadOnlyList<string>? OptionalStringList(string name) => Find(name) is { } value
        ? value.ValueKind == JsonValueKind.String ? [value.GetString()!] : [.. value.EnumerateArray().Select(e => e.GetString()!)]
        : null;

    /// <summary>A list of non-negative integers (one integer is a one-element list).</summary>
    public IReadOnlyList<long>? OptionalUnsignedList(string name) => Find(name) is { } value
        ? value.ValueKind == JsonValueKind.Number ? [(long)value.GetUInt64()] : [.. value.EnumerateArray().Select(e => (long)e.GetUInt64())]
        : null;

    public IReadOnlyList<int>? OptionalIntList(string name) => Find(name) is { } value
        ? value.ValueKind == JsonValueKind.Number ? [unchecked((int)Wrapped(value))] : [.. value.EnumerateArray().Select(e => unchecked((int)Wrapped(e)))]
        : null;

    public static RpcException Missing(string name) => RpcException.InvalidRequest($"Required field '{name}' missing");

    public static RpcException WrongType(string name, string expected) =>
        RpcException.InvalidRequest($"Invalid value given for '{name}': expected {expected}");

    public static string Describe(FieldType type) => type switch
    {
        FieldType.Bool => "boolean",
        FieldType.String => "string",
        FieldType.Unsigned or FieldType.UnsignedOrString => "positive integer",
        FieldType.Integer or FieldType.IntegerOrString => "integer",
        FieldType.Namespace => "16-bit integer",
        FieldType.NamespaceOrAll => "integer or \"all\"",
        FieldType.Timestamp => "integer timestamp (in milliseconds)",
        FieldType.StringArray => "string array",
        FieldType.TimestampArray => "timestamp array",
        _ => "integer array",
    };

    private static bool Fits(JsonElement value, FieldType type) => type switch
    {
        FieldType.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        FieldType.String => value.ValueKind == JsonValueKind.String,
        FieldType.Unsigned or FieldType.Timestamp => IsUnsigned(value),
        FieldType.Integer or FieldType.Namespace => IsInteger(value),
        FieldType.NamespaceOrAll => IsInteger(value) || value.ValueKind == JsonValueKind.String,
        FieldType.StringArray => value.ValueKind == JsonValueKind.String || AllItems(value, e => e.ValueKind == JsonValueKind.String),
        FieldType.TimestampArray => IsUnsigned(value) || AllItems(value, IsUnsigned),
        FieldType.IntegerArray => IsInteger(value) || AllItems(value, IsInteger),
        FieldType.IntegerOrString => IsInteger(value) || value.ValueKind == JsonValueKind.String,
        _ => IsUnsigned(value) || value.ValueKind == JsonValueKind.String,
    };

    /// <summary>An integer literal (no fraction or exponent) that fits 64 bits; floats are always refused.</summary>
    private static bool IsInteger(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && IsIntegerLiteral(value.GetRawText()) && (value.TryGetInt64(out _) || value.TryGetUInt64(out _));

    private static bool IsUnsigned(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && IsIntegerLiteral(value.GetRawText()) && value.TryGetUInt64(out _);

    /// <summary>A 64-bit integer; unsigned values above INT64_MAX wrap negative, as the reference's C++ does.</summary>
    private static long Wrapped(JsonElement value) => value.TryGetInt64(out var signed) ? signed : unchecked((long)value.GetUInt64());

    private static bool IsIntegerLiteral(string raw) => raw.AsSpan().IndexOfAny(".eE") < 0;

    private static bool AllItems(JsonElement value, Func<JsonElement, bool> fits) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(fits);

    /// <summary>66 hex digits, or (as the reference allows) any 33-byte string taken as raw bytes.</summary>
    private static AccountId ParseAccount(string text, string lengthError)
    {
        if (AccountId.TryParse(text, out var account))
        {
            return account;
        }

        var raw = System.Text.Encoding.UTF8.GetBytes(text);
        return raw.Length == 33 ? AccountId.FromBytes(raw) : throw RpcException.InvalidRequest(lengthError);
    }
}
