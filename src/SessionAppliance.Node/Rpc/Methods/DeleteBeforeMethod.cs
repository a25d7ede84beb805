using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>delete_before</c> (spec §3.4): delete messages stored before a time.</summary>
public sealed class DeleteBeforeMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["delete_before"], Forwarded: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("before", FieldType.Timestamp), ("namespace", FieldType.NamespaceOrAll), ("pubkey", FieldType.String), .. AuthReader.Fields]);
        var account = p.RequireAccount();
        var auth = AuthReader.Read(p, account);
        var before = p.RequireTimestamp("before");
        var ns = p.Namespace();

        return async cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return redirect;
            }

            if (before > verifier.NowMs + (long)RequestVerifier.SignatureWindow.TotalMilliseconds)
            {
                return RpcResponse.Error(401, "delete_before timestamp too far in the future");
            }

            verifier.Verify("delete_before signature verification failed", account, auth, SignedMessages.DeleteBefore(ns, before), SubaccountFlags.Delete);
            var deleted = await store.DeleteBeforeAsync(account, ns, before, cancellationToken).ConfigureAwait(false);
            return reply.Build(BulkChangeReply.Entry("deleted", account, before, ns, deleted, keys));
        };
    }
}
