using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>delete_all</c> (spec §3.4): delete every message of one namespace, or of all of them.</summary>
public sealed class DeleteAllMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["delete_all"], Forwarded: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("timestamp", FieldType.Timestamp), ("namespace", FieldType.NamespaceOrAll), ("pubkey", FieldType.String), .. AuthReader.Fields]);
        var account = p.RequireAccount();
        var auth = AuthReader.Read(p, account);
        var timestamp = p.RequireTimestamp("timestamp");
        var ns = p.Namespace();

        return async cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return redirect;
            }

            var window = context.FromSwarmPeer ? RequestVerifier.PeerBulkWindow : RequestVerifier.SignatureWindow;
            if (!verifier.WithinWindow(timestamp, window))
            {
                return RpcResponse.Error(406, "delete_all timestamp too far from current time");
            }

            verifier.Verify("delete_all signature verification failed", account, auth, SignedMessages.DeleteAll(ns, timestamp), SubaccountFlags.Delete);
            var deleted = await store.DeleteAllAsync(account, ns, cancellationToken).ConfigureAwait(false);
            return reply.Build(BulkChangeReply.Entry("deleted", account, timestamp, ns, deleted, keys));
        };
    }
}
