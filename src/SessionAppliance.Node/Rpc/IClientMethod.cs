using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc;

/// <summary>The work left once a request has been parsed and found well formed.</summary>
public delegate Task<RpcResponse> RpcCall(CancellationToken cancellationToken);

/// <summary>
/// One client RPC method, in two phases as the reference has them: <see cref="Prepare"/> parses and throws
/// <see cref="RpcException"/> for malformed requests (so a batch can be refused before any part of it runs);
/// the returned call does the checks that depend on state, and the work. Handlers do not care whether they
/// run on the entry node or on a swarm peer.
/// </summary>
public interface IClientMethod
{
    MethodDeclaration Declaration { get; }

    RpcCall Prepare(RpcParams parameters, RpcContext context);
}

/// <summary>
/// What a method says of itself, next to its parameters, as the reference's endpoint structs do.
/// </summary>
/// <param name="Names">The names it answers to, its own first, then aliases (the reference's <c>names()</c>).</param>
/// <param name="Forwarded">A client's request also runs on the swarm's other members (the reference's <c>rpc::recursive</c>).</param>
/// <param name="Meta">Made of other requests (batch, sequence, ifelse), which a batch may not contain.</param>
public sealed record MethodDeclaration(IReadOnlyList<string> Names, bool Forwarded, bool Meta = false);
