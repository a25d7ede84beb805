using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>get_expiries</c> (spec §3.4): current expiry of named messages; not replicated, no t/hf.</summary>
public sealed class GetExpiriesMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["get_expiries"], Forwarded: false);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("messages", FieldType.StringArray), ("pubkey", FieldType.String), ("timestamp", FieldType.Timestamp), .. AuthReader.Fields]);
        var account = p.RequireAccount();
        var auth = AuthReader.Read(p, account);
        var timestamp = p.RequireTimestamp("timestamp");
        var hashes = MessageList.Require(p, validate: false);

        return cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return Task.FromResult(redirect);
            }

            if (!verifier.WithinWindow(timestamp, RequestVerifier.SignatureWindow))
            {
                return Task.FromResult(RpcResponse.Error(406, "get_expiries timestamp too far from current time"));
            }

            verifier.Verify("get_expiries signature verification failed", account, auth, SignedMessages.GetExpiries(timestamp, hashes), SubaccountFlags.Read);
            var expiries = new JsonObject();
            foreach (var (hash, expiry) in store.GetExpiries(account, hashes))
            {
                expiries[hash] = expiry;
            }

            return Task.FromResult(RpcResponse.Ok(new JsonObject { ["expiries"] = expiries }));
        };
    }
}
