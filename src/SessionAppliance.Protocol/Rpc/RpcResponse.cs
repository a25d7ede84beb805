using System.Text.Json.Nodes;

namespace SessionAppliance.Protocol.Rpc;

/// <summary>
/// The answer to one client RPC: an HTTP-style status with either a JSON body or a plain-text body. The same
/// value is sent over HTTPS, wrapped in an onion reply, or placed in a batch's results.
/// </summary>
public sealed class RpcResponse
{
    private RpcResponse(int status, JsonNode? json, string? text)
    {
        Status = status;
        Json = json;
        Text = text;
    }

    public int Status { get; }

    public JsonNode? Json { get; }

    public string? Text { get; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public static RpcResponse Ok(JsonNode json) => new(200, json, null);

    public static RpcResponse WithJson(int status, JsonNode json) => new(status, json, null);

    public static RpcResponse Error(int status, string text) => new(status, null, text);

    public static RpcResponse From(RpcException error) => Error(error.Status, error.Message);

    /// <summary>The body as text: compact JSON, or the plain text.</summary>
    public string BodyText() => Json is null ? Text ?? "" : CanonicalJson.Serialize(Json);
}
