using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionAppliance.Protocol.Rpc;

/// <summary>
/// Serialises JSON the way the reference node does (nlohmann dump of std::map objects): compact, object keys
/// in byte-wise ascending order, '/' and non-ASCII left as they are.
/// </summary>
public static class CanonicalJson
{
    private const int FlushBytes = 1 << 16;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public static string Serialize(JsonNode node) => System.Text.Encoding.UTF8.GetString(SerializeToUtf8(node));

    public static byte[] SerializeToUtf8(JsonNode node)
    {
        using var buffer = new MemoryStream();
        SerializeTo(node, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes the UTF-8 text into <paramref name="destination"/>, with no copy as a string or an array.</summary>
    public static void SerializeTo(JsonNode node, Stream destination)
    {
        using var writer = new Utf8JsonWriter(destination, Options);
        Write(writer, node);
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                    // Hand what is written to the stream as it goes: the writer would otherwise hold a whole
                    // retrieve's answer in its own buffer, grown by doubling, and then copy it.
                    if (writer.BytesPending > FlushBytes)
                    {
                        writer.Flush();
                    }
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
