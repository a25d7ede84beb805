using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>get_swarm</c> / <c>get_snodes_for_pubkey</c>: the members of the account's swarm, from any node.</summary>
public sealed class GetSwarmMethod(SwarmGuard swarm) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["get_swarm", "get_snodes_for_pubkey"], Forwarded: false);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes(("pubKey", FieldType.String), ("pubkey", FieldType.String));
        var account = p.RequireAccountWithAlias("Pubkey must be 66 hex digits/33 bytes long");
        return _ => Task.FromResult(RpcResponse.Ok(swarm.SwarmBody(account)));
    }
}
