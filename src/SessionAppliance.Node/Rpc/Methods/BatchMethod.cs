using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>batch</c>: parse all sub-requests first (one malformed one refuses the batch), run them concurrently, answer 200.</summary>
public sealed class BatchMethod : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["batch"], Forwarded: false, Meta: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        var calls = CompositeRequest.Prepare(p, context);
        return async cancellationToken =>
        {
            var responses = await Task.WhenAll(calls.Select(c => context.Dispatcher.RunAsync(c.Method, c.Call, cancellationToken))).ConfigureAwait(false);
            return RpcResponse.Ok(new JsonObject { ["results"] = new JsonArray([.. responses.Select(r => (JsonNode)CompositeRequest.Result(r))]) });
        };
    }
}
