using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>get_swarm</c> / <c>get_snodes_for_pubkey</c>: the members of the account's swarm.</summary>
public sealed class GetSwarmMethod(SwarmGuard swarm) : IClientMethod
{
    public string Name => "get_swarm";

    public Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken) =>
        Task.FromResult(RpcResponse.Ok(swarm.SwarmBody(p.RequireAccount())));
}
