using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>sequence</c>: parse all sub-requests first, then run them in order, stopping after the first that does not succeed.</summary>
public sealed class SequenceMethod : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["sequence"], Forwarded: false, Meta: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        var calls = CompositeRequest.Prepare(p, context);
        return async cancellationToken =>
        {
            var results = new JsonArray();
            foreach (var (method, call, _) in calls)
            {
                var response = await context.Dispatcher.RunAsync(method, call, cancellationToken).ConfigureAwait(false);
                results.Add((JsonNode)CompositeRequest.Result(response));
                if (!response.IsSuccess)
                {
                    break;
                }
            }

            return RpcResponse.Ok(new JsonObject { ["results"] = results });
        };
    }
}
