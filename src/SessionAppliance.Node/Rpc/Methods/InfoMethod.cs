using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>info</c>: version and the node's clock.</summary>
public sealed class InfoMethod(ResponseStamp stamp) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["info"], Forwarded: false);

    public RpcCall Prepare(RpcParams p, RpcContext context) => _ =>
        Task.FromResult(stamp.Ok(new JsonObject
        {
            ["version"] = ProtocolVersion.VersionJson(),
            ["timestamp"] = stamp.NowMs,
        }));
}
