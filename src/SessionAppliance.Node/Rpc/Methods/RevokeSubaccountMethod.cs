using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>revoke_subaccount</c>: add tokens to the owner's revocation list (newest 50 kept).</summary>
public sealed class RevokeSubaccountMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys) : IClientMethod
{
    public string Name => "revoke_subaccount";

    public async Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken)
    {
        var (account, auth, timestamp, tokens) = SubaccountRevocation.Read(p, "revoke");
        if (swarm.Misrouted(account) is { } redirect)
        {
            return redirect;
        }

        SubaccountRevocation.Verify(verifier, Name, account, auth, timestamp, tokens);
        await store.RevokeAsync(account, tokens, timestamp, cancellationToken).ConfigureAwait(false);
        return reply.Build(new JsonObject
        {
            ["signature"] = Base64Text.Encode(keys.Sign(SignedMessages.RevocationReply(account, timestamp, tokens))),
        });
    }
}
