using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>
/// <c>revoke_subaccount</c> and <c>unrevoke_subaccount</c> (spec §3.4): owner-signed changes to the account's
/// revocation list (newest 50 kept). Subaccount fields are ignored: only the owner may revoke.
/// </summary>
public sealed class RevocationMethod(bool revoke, IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys) : IClientMethod
{
    public const int MaxTokensPerRevoke = 50;

    public MethodDeclaration Declaration { get; } = new([revoke ? "revoke_subaccount" : "unrevoke_subaccount"], Forwarded: true);

    private string Method => Declaration.Names[0];

    private string ListField => revoke ? "revoke" : "unrevoke";

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("pubkey", FieldType.String), ("pubkey_ed25519", FieldType.String), ("signature", FieldType.String),
            ("timestamp", FieldType.Timestamp), (ListField, FieldType.StringArray)]);
        var account = p.RequireAccount();
        var auth = AuthReader.Read(p, account, acceptSubaccount: false);

        // The reference reads the list before the timestamp for revoke and after it for unrevoke.
        List<byte[]> tokens;
        long timestamp;
        if (revoke)
        {
            tokens = ReadTokens(p);
            timestamp = p.RequireTimestamp("timestamp");
        }
        else
        {
            timestamp = p.RequireTimestamp("timestamp");
            tokens = ReadTokens(p);
        }

        return async cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return redirect;
            }

            if (!verifier.WithinWindow(timestamp, RequestVerifier.SignatureWindow))
            {
                return RpcResponse.Error(406, Method + " timestamp too far from current time");
            }

            verifier.Verify(Method + " signature verification failed", account, auth, SignedMessages.Revocation(Method, timestamp, tokens), SubaccountFlags.None);
            var entry = new JsonObject { ["signature"] = Base64Text.Encode(keys.Sign(SignedMessages.RevocationReply(account, timestamp, tokens))) };
            if (revoke)
            {
                // Stamped with this node's time, as the reference's database default does, not the request's.
                await store.RevokeAsync(account, tokens, verifier.NowMs, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                entry["count"] = await store.UnrevokeAsync(account, tokens, cancellationToken).ConfigureAwait(false);
            }

            return reply.Build(entry);
        };
    }

    private List<byte[]> ReadTokens(RpcParams p)
    {
        var texts = p.OptionalStringList(ListField) ?? throw RpcParams.Missing(ListField);
        if (revoke && texts.Count > MaxTokensPerRevoke)
        {
            throw RpcException.InvalidRequest($"invalid revoke: cannot revoke more than {MaxTokensPerRevoke} subaccounts at once");
        }

        return [.. texts.Select(text => AuthReader.TryParseToken(text)?.Bytes
            ?? throw RpcException.InvalidRequest($"invalid {ListField}: expected base64 or hex-encoded subaccount tag"))];
    }
}
