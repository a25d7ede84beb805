using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc;

/// <summary>One client RPC method. Handlers do not care whether they run on the entry node or on a swarm peer.</summary>
public interface IClientMethod
{
    string Name { get; }

    Task<RpcResponse> InvokeAsync(RpcParams parameters, RpcContext context, CancellationToken cancellationToken);
}
