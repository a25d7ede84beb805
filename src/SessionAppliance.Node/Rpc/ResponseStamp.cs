using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc;

/// <summary>Adds the server time "t" (ms) and "hf" that every response carries; desktop corrects its clock from "t".</summary>
public sealed class ResponseStamp(TimeProvider time)
{
    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public JsonObject Stamp(JsonObject body)
    {
        body["t"] = NowMs;
        body["hf"] = ProtocolVersion.HardforkJson();
        return body;
    }

    public RpcResponse Ok(JsonObject body) => RpcResponse.Ok(Stamp(body));
}
