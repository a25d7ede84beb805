using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Onion;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Onion;

/// <summary>
/// The final destination's answer (spec §4.4): <c>{"status", "body"}</c> where body is the text of a
/// non-JSON result, the JSON serialised as a string (json=false, what desktop expects) or the JSON itself
/// (json=true); encrypted once with the request's hop key, then base64 unless base64=false.
/// </summary>
public static class OnionReply
{
    public static byte[] Seal(RpcResponse response, HopKey key, bool asJsonObject, bool base64)
    {
        JsonNode? body = response.Json is { } json
            ? asJsonObject ? json : JsonValue.Create(CanonicalJson.Serialize(json))
            : JsonValue.Create(response.Text ?? "");
        var wrapped = new JsonObject { ["status"] = response.Status, ["body"] = body };
        return Seal(CanonicalJson.SerializeToUtf8(wrapped), key, base64);
    }

    public static byte[] Seal(ReadOnlySpan<byte> plaintext, HopKey key, bool base64)
    {
        var sealedBytes = HopCrypto.Encrypt(key, plaintext);
        return base64 ? System.Text.Encoding.ASCII.GetBytes(Base64Text.Encode(sealedBytes)) : sealedBytes;
    }
}
