using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>expire_all</c> (spec §3.4): shorten (never extend) every message's expiry.</summary>
public sealed class ExpireAllMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["expire_all"], Forwarded: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("expiry", FieldType.Timestamp), ("namespace", FieldType.NamespaceOrAll), ("pubkey", FieldType.String), .. AuthReader.Fields]);
        var account = p.RequireAccount();
        var auth = AuthReader.Read(p, account);
        var expiry = p.RequireTimestamp("expiry");
        var ns = p.Namespace();

        return async cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return redirect;
            }

            var window = context.FromSwarmPeer ? RequestVerifier.PeerBulkWindow : RequestVerifier.SignatureWindow;
            if (expiry < verifier.NowMs - (long)window.TotalMilliseconds)
            {
                return RpcResponse.Error(406, "expire_all timestamp should be >= current time");
            }

            verifier.Verify("expire_all signature verification failed", account, auth, SignedMessages.ExpireAll(ns, expiry), SubaccountFlags.Delete);
            var updated = await store.ShortenAllAsync(account, ns, expiry, cancellationToken).ConfigureAwait(false);
            return reply.Build(BulkChangeReply.Entry("updated", account, expiry, ns, updated, keys));
        };
    }
}
