using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>sequence</c>: run sub-requests in order, stopping after the first that does not succeed.</summary>
public sealed class SequenceMethod : IClientMethod
{
    public string Name => "sequence";

    public async Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken)
    {
        var results = new JsonArray();
        foreach (var (method, parameters) in CompositeRequest.Read(p, context.Dispatcher))
        {
            var response = await context.Dispatcher.DispatchAsync(method, parameters, context, cancellationToken).ConfigureAwait(false);
            results.Add((JsonNode)CompositeRequest.Result(response));
            if (!response.IsSuccess)
            {
                break;
            }
        }

        return RpcResponse.Ok(new JsonObject { ["results"] = results });
    }
}
