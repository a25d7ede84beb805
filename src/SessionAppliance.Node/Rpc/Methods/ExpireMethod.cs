using System.Text.Json;
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
    public string Name => "expire";

    public async Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken)
    {
        var account = p.RequireAccount();
        var hashes = MessageList.Require(p);
        var (requested, isList) = ReadExpiries(p, hashes.Count);
        var shorten = p.OptionalBool("shorten", fallback: false);
        var extend = p.OptionalBool("extend", fallback: false);
        if (shorten && extend)
        {
            throw RpcException.InvalidRequest("cannot specify both 'shorten' and 'extend'");
        }

        var auth = AuthReader.Read(p, account);
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
        var required = shorten ? SubaccountFlags.Write | SubaccountFlags.Delete : SubaccountFlags.Write;
        var granted = verifier.Verify("expire", account, auth, SignedMessages.Expire(modeText, requested, hashes), required);
        var mode = shorten ? ExpiryChangeMode.ShortenOnly
            : extend || !granted.HasFlag(SubaccountFlags.Delete) ? ExpiryChangeMode.ExtendOnly
            : ExpiryChangeMode.Any;

        var ceiling = now + (long)Namespaces.MaxTtl.TotalMilliseconds;
        var applied = requested.Select(e => Math.Min(e, ceiling)).ToList();
        var perMessage = isList ? applied : [.. Enumerable.Repeat(applied[0], hashes.Count)];
        var update = await store.UpdateExpiryAsync(account, hashes, perMessage, mode, cancellationToken).ConfigureAwait(false);
        return reply.Build(Entry(account, hashes, isList ? null : applied[0], update, reportUnchanged: shorten || extend));
    }

    private JsonObject Entry(AccountId account, IReadOnlyList<string> hashes, long? singleExpiry, ExpiryUpdate update, bool reportUnchanged)
    {
        var updated = update.Updated.Keys.Order(StringComparer.Ordinal).ToList();
        var appliedList = singleExpiry is { } one ? [one] : updated.Select(h => update.Updated[h]).ToList();
        var unchanged = reportUnchanged ? update.Unchanged.OrderBy(u => u.Key, StringComparer.Ordinal).ToList() : [];
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

    /// <summary>One expiry for every message, or (from HF 19.4) a list of the same length as "messages".</summary>
    private static (List<long> Expiries, bool IsList) ReadExpiries(RpcParams p, int count)
    {
        var value = p.Require("expiry");
        if (value.ValueKind != JsonValueKind.Array)
        {
            return ([p.RequireTimestamp("expiry")], false);
        }

        var expiries = new List<long>();
        foreach (var item in value.EnumerateArray())
        {
            expiries.Add(item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var e) && e >= 0 ? e : throw RpcParams.WrongType("expiry", "list of unsigned integers"));
        }

        return expiries.Count == count ? (expiries, true) : throw RpcException.InvalidRequest("expiry list must have the same length as messages");
    }
}
