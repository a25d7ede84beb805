using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>expire</c> (spec §3.4): set, shorten or extend the expiry of named messages.</summary>
public sealed class ExpireMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["expire"], Forwarded: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("expiry", FieldType.TimestampArray), ("extend", FieldType.Bool), ("messages", FieldType.StringArray),
            ("pubkey", FieldType.String), ("shorten", FieldType.Bool), .. AuthReader.Fields]);
        var account = p.RequireAccount();
        var auth = AuthReader.Read(p, account);
        var requested = ReadExpiries(p);
        var shorten = p.OptionalBool("shorten", fallback: false);
        var extend = p.OptionalBool("extend", fallback: false);
        if (shorten && extend)
        {
            throw RpcException.InvalidRequest("cannot specify both 'shorten' and 'extend'");
        }

        var hashes = MessageList.Require(p, validate: false);
        var isList = requested.Count > 1;
        if (isList && requested.Count != hashes.Count)
        {
            throw RpcException.InvalidRequest("'expiry' must be a single expiry, or the same length as 'messages'");
        }

        MessageList.Require(p);
        return async cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return redirect;
            }

            var now = verifier.NowMs;
            if (requested.Any(e => e < now - (long)RequestVerifier.SignatureWindow.TotalMilliseconds))
            {
                return RpcResponse.Error(401, "expire: timestamp should be >= current time");
            }

            var modeText = shorten ? "shorten" : extend ? "extend" : "";
            var granted = verifier.Verify("expire: signature verification failed", account, auth, SignedMessages.Expire(modeText, requested, hashes), SubaccountFlags.Write);
            var mayShorten = granted.HasFlag(SubaccountFlags.Delete);
            if (shorten && !mayShorten)
            {
                return RpcResponse.Error(400, "expire: shorten parameter cannot be used with this subaccount token (missing delete access)");
            }

            var mode = shorten ? ExpiryChangeMode.ShortenOnly : extend || !mayShorten ? ExpiryChangeMode.ExtendOnly : ExpiryChangeMode.Any;
            var ceiling = now + (long)Namespaces.MaxTtl.TotalMilliseconds;
            var applied = requested.Select(e => Math.Min(e, ceiling)).ToList();
            var update = await store.UpdateExpiryAsync(account, hashes, applied, mode, cancellationToken).ConfigureAwait(false);
            return reply.Build(Entry(account, hashes, isList ? null : applied[0], update, reportUnchanged: shorten || extend));
        };
    }

    private JsonObject Entry(AccountId account, IReadOnlyList<string> hashes, long? singleExpiry, ExpiryUpdate update, bool reportUnchanged)
    {
        var updated = update.Updated.Select(u => u.Hash).ToList();
        var appliedList = singleExpiry is { } one ? [one] : update.Updated.Select(u => u.Expiry).ToList();
        var unchanged = reportUnchanged ? update.Unchanged.ToList() : [];
        var entry = new JsonObject
        {
            ["updated"] = MessageList.ToJson(updated),
            ["expiry"] = singleExpiry is { } value ? value : MessageList.ToJson(appliedList),
        };
        if (reportUnchanged)
        {
            var unchangedJson = new JsonObject();
            foreach (var (hash, expiry) in unchanged)
            {
                unchangedJson[hash] = expiry;
            }

            entry["unchanged"] = unchangedJson;
        }

        entry["signature"] = Base64Text.Encode(keys.Sign(SignedMessages.ExpireReply(account, appliedList, hashes, updated, unchanged)));
        return entry;
    }

    /// <summary>One expiry for every message, or (from HF 19.4) one per message; never empty.</summary>
    private static IReadOnlyList<long> ReadExpiries(RpcParams p)
    {
        var expiries = p.OptionalUnsignedList("expiry") ?? throw RpcParams.Missing("expiry");
        return expiries.Count > 0 ? expiries : throw RpcException.InvalidRequest("'expiry' does not contain any expiration timestamps");
    }
}
