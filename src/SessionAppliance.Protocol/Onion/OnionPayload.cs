using System.Buffers.Binary;
using System.Text.Json;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Onion;

/// <summary>
/// An onion layer as it arrives (spec §4.1): <c>[u32 LE N][N bytes ciphertext][UTF-8 JSON]</c> where the JSON
/// holds <c>ephemeral_key</c> (64 hex), optional <c>enc_type</c> and optional <c>hop_no</c>.
/// </summary>
public sealed record OnionPayload(ReadOnlyMemory<byte> Ciphertext, byte[] EphemeralKey, OnionCipher Cipher, int HopNumber)
{
    public const string ErrorPrefix = "Error parsing onion request: ";

    /// <summary>
    /// Parses a layer in the reference's order and with its error texts (its https.cpp and onion_processing.cpp);
    /// on failure <paramref name="error"/> is the full plain-text 400 answer.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out OnionPayload payload, out string error)
    {
        payload = null!;
        error = ErrorPrefix + (TryParseMetadata(body, out payload) ?? "");
        return error.Length == ErrorPrefix.Length;
    }

    private static string? TryParseMetadata(ReadOnlyMemory<byte> body, out OnionPayload payload)
    {
        payload = null!;
        if (LengthPrefixed.Describe(body) is { } framingError)
        {
            return framingError;
        }

        LengthPrefixed.TrySplit(body, out var ciphertext, out var json);
        if (NlohmannErrors.IllFormedUtf8(json.Span) is { } encodingError)
        {
            return encodingError;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException syntax)
        {
            return NlohmannErrors.Syntax(syntax, json.Length);
        }

        using (document)
        {
            try
            {
                return ReadMetadata(document.RootElement, ciphertext, out payload);
            }
            catch (InvalidOperationException)
            {
                // An escaped lone surrogate ("\ud800") is well-formed JSON text here but not a string the reference's
                // parser accepts; System.Text.Json throws only when it is read.
                return "[json.exception.parse_error.101] parse error: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF";
            }
        }
    }

    private static string? ReadMetadata(JsonElement root, ReadOnlyMemory<byte> ciphertext, out OnionPayload payload)
    {
        payload = null!;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return NlohmannErrors.CannotUseAt(root.ValueKind);
        }

        if (!root.TryGetProperty("ephemeral_key", out var keyElement))
        {
            return NlohmannErrors.KeyNotFound("ephemeral_key");
        }

        if (keyElement.ValueKind != JsonValueKind.String)
        {
            return NlohmannErrors.NotAString(keyElement.ValueKind);
        }

        if (HexKey.Describe(keyElement.GetString()!, out var key) is { } keyError)
        {
            return keyError;
        }

        var cipher = OnionCipher.AesGcm;
        if (root.TryGetProperty("enc_type", out var encType))
        {
            if (encType.ValueKind != JsonValueKind.String)
            {
                return NlohmannErrors.NotAString(encType.ValueKind);
            }

            if (!OnionCipherNames.TryParse(encType.GetString(), out cipher))
            {
                return "Invalid encryption type " + encType.GetString();
            }
        }

        // A client may give a fake starting hop number; negative ones count as 0, as in the reference.
        var hop = 0;
        if (root.TryGetProperty("hop_no", out var hopElement))
        {
            hop = NlohmannErrors.CastToInt(hopElement) is { } given ? Math.Max(0, given) : -1;
            if (hop < 0)
            {
                return NlohmannErrors.NotANumber(hopElement.ValueKind);
            }
        }

        payload = new OnionPayload(ciphertext, key, cipher, hop);
        return null;
    }

    /// <summary>Serialises a layer for the next hop (or, on the client, for the guard).</summary>
    public static byte[] Build(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> ephemeralKey, OnionCipher? cipher, int? hopNumber) =>
        LengthPrefixed.Join(ciphertext, Metadata(ephemeralKey, cipher, hopNumber));

    /// <summary>The JSON that follows the ciphertext: ephemeral_key, and enc_type / hop_no when given.</summary>
    public static byte[] Metadata(ReadOnlySpan<byte> ephemeralKey, OnionCipher? cipher, int? hopNumber)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("ephemeral_key", HexText.Encode(ephemeralKey));
            if (cipher is { } c)
            {
                writer.WriteString("enc_type", OnionCipherNames.WireName(c));
            }

            if (hopNumber is { } hop)
            {
                writer.WriteNumber("hop_no", hop);
            }

            writer.WriteEndObject();
        }

        return json.ToArray();
    }
}

/// <summary>The <c>[u32 LE N][N bytes][rest]</c> framing used by every onion layer.</summary>
public static class LengthPrefixed
{
    /// <summary>Why <paramref name="data"/> is not framed, in the reference's words; null when it is.</summary>
    public static string? Describe(ReadOnlyMemory<byte> data)
    {
        if (data.Length < 4)
        {
            return "Unexpected payload size; expected ciphertext size";
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(data.Span);
        return length > (uint)(data.Length - 4) ? $"Unexpected payload size {data.Length - 4}, expected >= {length}" : null;
    }

    public static bool TrySplit(ReadOnlyMemory<byte> data, out ReadOnlyMemory<byte> first, out ReadOnlyMemory<byte> rest)
    {
        first = rest = default;
        if (data.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(data.Span);
        if (length > (uint)(data.Length - 4))
        {
            return false;
        }

        first = data.Slice(4, (int)length);
        rest = data[(4 + (int)length)..];
        return true;
    }

    public static byte[] Join(ReadOnlySpan<byte> first, ReadOnlySpan<byte> rest)
    {
        var joined = new byte[4 + first.Length + rest.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(joined, (uint)first.Length);
        first.CopyTo(joined.AsSpan(4));
        rest.CopyTo(joined.AsSpan(4 + first.Length));
        return joined;
    }
}
