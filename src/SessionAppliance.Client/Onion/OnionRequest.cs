using System.Text;
using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Client.Onion;

/// <summary>A built onion: the body to POST to the guard's /onion_req/v2, and the key that opens the reply.</summary>
public sealed class OnionRequest(byte[] entryPayload, HopKey replyKey)
{
    public byte[] EntryPayload { get; } = entryPayload;

    public HopKey ReplyKey { get; } = replyKey;

    /// <summary>Decrypts the destination's reply (base64 of the sealed bytes); null when it does not open.</summary>
    public byte[]? OpenReply(string body) =>
        Base64Text.TryDecode(body.Trim(), out var sealedBytes) ? HopCrypto.Decrypt(ReplyKey, sealedBytes) : null;

    /// <summary>Opens a node's reply and reads <c>{"status","body"}</c>; body is the RPC answer text.</summary>
    public (int Status, string Body)? OpenNodeReply(string body)
    {
        if (OpenReply(body) is not { } plaintext || JsonNode.Parse(Encoding.UTF8.GetString(plaintext)) is not JsonObject reply)
        {
            return null;
        }

        var inner = reply["body"];
        var text = inner is JsonValue value && value.TryGetValue<string>(out var s) ? s : inner?.ToJsonString() ?? "";
        return (reply["status"]!.GetValue<int>(), text);
    }
}
