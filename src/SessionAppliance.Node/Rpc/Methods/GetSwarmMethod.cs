using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>get_swarm</c> / <c>get_snodes_for_pubkey</c>: the members of the account's swarm.</summary>
public sealed class GetSwarmMethod(SwarmGuard swarm) : IClientMethod
{
    public string Name => "get_swarm";

    public Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken)
    {
        p.CheckTypes(("pubKey", FieldType.String), ("pubkey", FieldType.String));
        return Task.FromResult(RpcResponse.Ok(swarm.SwarmBody(p.RequireAccountWithAlias("Pubkey must be 66 hex digits/33 bytes long"))));
    }
}
