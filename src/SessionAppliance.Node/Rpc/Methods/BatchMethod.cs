using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>batch</c>: run up to 20 sub-requests (concurrently) and answer all results with HTTP 200.</summary>
public sealed class BatchMethod : IClientMethod
{
    public string Name => "batch";

    public async Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken)
    {
        var requests = CompositeRequest.Read(p, context.Dispatcher);
        var responses = await Task.WhenAll(requests.Select(r => context.Dispatcher.DispatchAsync(r.Method, r.Params, context, cancellationToken))).ConfigureAwait(false);
        return RpcResponse.Ok(new JsonObject { ["results"] = new JsonArray([.. responses.Select(CompositeRequest.Result)]) });
    }
}
