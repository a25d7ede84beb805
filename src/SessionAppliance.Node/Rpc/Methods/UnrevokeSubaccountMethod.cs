using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>unrevoke_subaccount</c>: remove tokens from the revocation list; reports how many were removed.</summary>
public sealed class UnrevokeSubaccountMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys) : IClientMethod
{
    public string Name => "unrevoke_subaccount";

    public async Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken)
    {
        var (account, auth, timestamp, tokens) = SubaccountRevocation.Read(p, "unrevoke");
        if (swarm.Misrouted(account) is { } redirect)
        {
            return redirect;
        }

        SubaccountRevocation.Verify(verifier, Name, account, auth, timestamp, tokens);
        var count = await store.UnrevokeAsync(account, tokens, cancellationToken).ConfigureAwait(false);
        return reply.Build(new JsonObject
        {
            ["count"] = count,
            ["signature"] = Base64Text.Encode(keys.Sign(SignedMessages.RevocationReply(account, timestamp, tokens))),
        });
    }
}
