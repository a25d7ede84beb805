using System.Text.Json;

namespace SessionAppliance.Protocol.Onion;

/// <summary>
/// The texts of the JSON library the reference parses onion metadata with (nlohmann::json 3.11), which it
/// passes to clients after "Error parsing onion request: ". Syntax errors carry the position; the library's
/// own wording of the lexer's complaint after it cannot be reproduced and is left out.
/// </summary>
public static class NlohmannErrors
{
    public static string KeyNotFound(string key) => $"[json.exception.out_of_range.403] key '{key}' not found";

    public static string CannotUseAt(JsonValueKind kind) => $"[json.exception.type_error.304] cannot use at() with {TypeName(kind)}";

    public static string NotAString(JsonValueKind kind) => $"[json.exception.type_error.303] incompatible ReferenceType for get_ref, actual type is {TypeName(kind)}";

    public static string NotANumber(JsonValueKind kind) => $"[json.exception.type_error.302] type must be number, but is {TypeName(kind)}";

    public static string Syntax(JsonException error, int length) => length == 0
        ? "[json.exception.parse_error.101] parse error at line 1, column 1: attempting to parse an empty input; check that your input string or stream contains the expected JSON"
        : $"[json.exception.parse_error.101] parse error at line {(error.LineNumber ?? 0) + 1}, column {(error.BytePositionInLine ?? 0) + 1}: syntax error while parsing value";

    /// <summary>
    /// System.Text.Json accepts ill-formed UTF-8 inside strings and throws only when one is read; the reference's
    /// parser refuses the document. Null when <paramref name="json"/> is well-formed.
    /// </summary>
    public static string? IllFormedUtf8(ReadOnlySpan<byte> json)
    {
        if (System.Text.Unicode.Utf8.IsValid(json))
        {
            return null;
        }

        var bad = 0;
        while (System.Text.Rune.DecodeFromUtf8(json[bad..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            bad += consumed;
        }

        var line = json[..bad].Count((byte)'\n') + 1;
        var column = bad - (json[..bad].LastIndexOf((byte)'\n') + 1) + 1;
        return $"[json.exception.parse_error.101] parse error at line {line}, column {column}: syntax error while parsing value - invalid string: ill-formed UTF-8 byte";
    }

    public static string TypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "discarded",
    };

    /// <summary>
    /// nlohmann's <c>get&lt;int&gt;()</c>: any number or boolean, cast as C++ casts it (wrapping integers, truncating
    /// floats, an out-of-range float becoming INT_MIN as x86 does); null when the value is neither.
    /// </summary>
    public static int? CastToInt(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.Number when value.TryGetInt64(out var signed) => unchecked((int)signed),
        JsonValueKind.Number when value.TryGetUInt64(out var unsigned) => unchecked((int)unsigned),
        JsonValueKind.Number => value.GetDouble() is var d && d > int.MinValue - 1.0 && d < int.MaxValue + 1.0 ? (int)d : int.MinValue,
        _ => null,
    };
}
