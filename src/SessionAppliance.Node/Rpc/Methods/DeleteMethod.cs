using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>delete</c> (spec §3.4): delete named messages; each node signs what it deleted.</summary>
public sealed class DeleteMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["delete"], Forwarded: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("messages", FieldType.StringArray), ("pubkey", FieldType.String), ("required", FieldType.Bool), .. AuthReader.Fields]);
        var account = p.RequireAccount();
        var auth = AuthReader.Read(p, account);
        var hashes = MessageList.Require(p);
        // The reference does not forward "required": a peer answers with its entry, and the entry node decides the
        // 404 once every member has answered (see SwarmReplicator).
        var required = p.OptionalBool("required", fallback: false) && !context.FromSwarmPeer;

        return async cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return redirect;
            }

            verifier.Verify("delete_msgs signature verification failed", account, auth, SignedMessages.Delete(hashes), SubaccountFlags.Delete);
            var deleted = (await store.DeleteAsync(account, hashes, cancellationToken).ConfigureAwait(false)).Order(StringComparer.Ordinal).ToList();
            var entry = new JsonObject
            {
                ["deleted"] = MessageList.ToJson(deleted),
                ["signature"] = Base64Text.Encode(keys.Sign(SignedMessages.DeleteReply(account, hashes, deleted))),
            };
            var response = reply.Build(entry);
            return required && deleted.Count == 0 ? RpcResponse.WithJson(404, response.Json!) : response;
        };
    }
}
