using System.Text;
using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Bencode;

namespace SessionAppliance.Node.Omq;

/// <summary>
/// A client request's params as it arrives over OxenMQ: no part means <c>{}</c>, a part starting with 'd' is a bt
/// dict, anything else JSON (spec §2). The result is the <c>{"method","params"}</c> body the dispatcher reads.
/// </summary>
internal static class OmqRequestBody
{
    public const string Unreadable = "invalid body: expected json or bt_dict";

    /// <summary>Null when the part is neither a bt dict nor JSON.</summary>
    public static (byte[] Body, bool Bt)? Read(string method, IReadOnlyList<byte[]> parts)
    {
        JsonNode? parameters;
        var bt = parts.Count > 0 && parts[0].Length > 0 && parts[0][0] == 'd';
        try
        {
            parameters = parts.Count == 0 || parts[0].Length == 0 ? new JsonObject()
                : bt ? BtJson.ToJson(BtReader.Parse(parts[0]))
                : JsonNode.Parse(parts[0]);
        }
        catch (Exception error) when (error is BtFormatException or System.Text.Json.JsonException)
        {
            return null;
        }

        var request = new JsonObject { ["method"] = method, ["params"] = parameters };
        return (Encoding.UTF8.GetBytes(request.ToJsonString()), bt);
    }
}
