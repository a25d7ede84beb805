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

    /// <summary>Parses a layer; on failure <paramref name="error"/> is the full plain-text 400 answer.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out OnionPayload payload, out string error)
    {
        payload = null!;
        if (!LengthPrefixed.TrySplit(body, out var ciphertext, out var json))
        {
            error = ErrorPrefix + "invalid length prefix";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = ErrorPrefix + "metadata is not a JSON object";
                return false;
            }

            if (!root.TryGetProperty("ephemeral_key", out var keyElement) || keyElement.ValueKind != JsonValueKind.String
                || keyElement.GetString() is not { Length: 64 } keyHex || !HexText.TryDecode(keyHex, out var key))
            {
                error = ErrorPrefix + "missing or invalid ephemeral_key";
                return false;
            }

            var cipherName = root.TryGetProperty("enc_type", out var encType) && encType.ValueKind == JsonValueKind.String ? encType.GetString() : null;
            if (!OnionCipherNames.TryParse(cipherName, out var cipher))
            {
                error = ErrorPrefix + "unknown enc_type";
                return false;
            }

            var hop = 0;
            if (root.TryGetProperty("hop_no", out var hopElement) && (!hopElement.TryGetInt32(out hop) || hop < 0))
            {
                error = ErrorPrefix + "invalid hop_no";
                return false;
            }

            payload = new OnionPayload(ciphertext, key, cipher, hop);
            error = "";
            return true;
        }
        catch (JsonException)
        {
            error = ErrorPrefix + "invalid JSON metadata";
            return false;
        }
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
