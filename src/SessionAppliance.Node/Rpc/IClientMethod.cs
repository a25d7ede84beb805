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
    string Name { get; }

    RpcCall Prepare(RpcParams parameters, RpcContext context);
}
