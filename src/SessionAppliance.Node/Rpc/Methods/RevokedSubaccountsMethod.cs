using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>
/// <c>revoked_subaccounts</c> (newer SS): the owner's revoked tokens, oldest first, as base64. The signed
/// string was not confirmed upstream; we use "revoked_subaccounts" + timestamp (spec §3.4).
/// </summary>
public sealed class RevokedSubaccountsMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, ResponseStamp stamp) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["revoked_subaccounts"], Forwarded: false);

    private string Method => Declaration.Names[0];

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("pubkey", FieldType.String), ("pubkey_ed25519", FieldType.String), ("signature", FieldType.String), ("timestamp", FieldType.Timestamp)]);
        var account = p.RequireAccount();
        var auth = AuthReader.Read(p, account, acceptSubaccount: false);
        var timestamp = p.RequireTimestamp("timestamp");
        return cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return Task.FromResult(redirect);
            }

            if (!verifier.WithinWindow(timestamp, RequestVerifier.SignatureWindow))
            {
                return Task.FromResult(RpcResponse.Error(406, Method + " timestamp too far from current time"));
            }

            verifier.Verify(Method + " signature verification failed", account, auth, SignedMessages.RevokedSubaccounts(timestamp), SubaccountFlags.None);
            var tokens = new JsonArray([.. store.RevokedTokens(account).Select(t => (JsonNode)Base64Text.Encode(t))]);
            return Task.FromResult(stamp.Ok(new JsonObject { ["revoked"] = tokens }));
        };
    }
}
