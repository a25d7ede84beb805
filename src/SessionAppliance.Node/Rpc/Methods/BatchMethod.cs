using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>
/// <c>batch</c>: parse all sub-requests first (one malformed one refuses the batch), then start them in order,
/// each once the one before has been applied here, as the reference runs them: a retrieve after a store in the
/// same batch sees the message. Only the waits for swarm peers overlap. Answers 200.
/// </summary>
public sealed class BatchMethod : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["batch"], Forwarded: false, Meta: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        var calls = CompositeRequest.Prepare(p, context);
        return async cancellationToken =>
        {
            var running = new List<Task<RpcResponse>>(calls.Count);
            foreach (var (method, call, localDone) in calls)
            {
                var response = context.Dispatcher.RunAsync(method, call, cancellationToken);
                running.Add(response);
                await Task.WhenAny(response, localDone).ConfigureAwait(false);
            }

            var responses = await Task.WhenAll(running).ConfigureAwait(false);
            return RpcResponse.Ok(new JsonObject { ["results"] = new JsonArray([.. responses.Select(r => (JsonNode)CompositeRequest.Result(r))]) });
        };
    }
}
