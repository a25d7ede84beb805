using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Client;

/// <summary>
/// Builds signed <c>params</c> objects for the storage RPC methods, as Session clients do (spec §3.3).
/// With <see cref="Subaccount"/> set, requests are signed by the subaccount and carry its token.
/// </summary>
public sealed class StorageRequests(AccountKeys keys, SubaccountCredentials? subaccount = null)
{
    public AccountKeys Keys { get; } = keys;

    public SubaccountCredentials? Subaccount { get; } = subaccount;

    public JsonObject Store(short ns, byte[] data, long timestampMs, long ttlMs, bool sign = true)
    {
        var p = Base(ns);
        p["timestamp"] = timestampMs;
        p["ttl"] = ttlMs;
        p["data"] = Base64Text.Encode(data);
        return sign ? Signed(p, SignedMessages.Store(ns, timestampMs)) : p;
    }

    public JsonObject Retrieve(short ns, long timestampMs, string? lastHash = null, int? maxCount = null, long? maxSize = null)
    {
        var p = Base(ns);
        p["timestamp"] = timestampMs;
        if (lastHash is not null)
        {
            p["last_hash"] = lastHash;
        }

        if (maxCount is { } count)
        {
            p["max_count"] = count;
        }

        if (maxSize is { } size)
        {
            p["max_size"] = size;
        }

        return Signed(p, SignedMessages.Retrieve(ns, timestampMs));
    }

    public JsonObject Delete(IReadOnlyList<string> hashes, bool required = false)
    {
        var p = Base(null);
        p["messages"] = Hashes(hashes);
        if (required)
        {
            p["required"] = true;
        }

        return Signed(p, SignedMessages.Delete(hashes));
    }

    public JsonObject DeleteAll(short? ns, long timestampMs)
    {
        var p = Base(ns, allowAll: true);
        p["timestamp"] = timestampMs;
        return Signed(p, SignedMessages.DeleteAll(ns, timestampMs));
    }

    public JsonObject DeleteBefore(short? ns, long beforeMs)
    {
        var p = Base(ns, allowAll: true);
        p["before"] = beforeMs;
        return Signed(p, SignedMessages.DeleteBefore(ns, beforeMs));
    }

    public JsonObject ExpireAll(short? ns, long expiryMs)
    {
        var p = Base(ns, allowAll: true);
        p["expiry"] = expiryMs;
        return Signed(p, SignedMessages.ExpireAll(ns, expiryMs));
    }

    /// <summary><paramref name="mode"/> is "shorten", "extend" or "".</summary>
    public JsonObject Expire(IReadOnlyList<string> hashes, long expiryMs, string mode = "")
    {
        var p = Base(null);
        p["messages"] = Hashes(hashes);
        p["expiry"] = expiryMs;
        if (mode.Length > 0)
        {
            p[mode] = true;
        }

        return Signed(p, SignedMessages.Expire(mode, [expiryMs], hashes));
    }

    public JsonObject ExpireEach(IReadOnlyList<string> hashes, IReadOnlyList<long> expiriesMs)
    {
        var p = Base(null);
        p["messages"] = Hashes(hashes);
        p["expiry"] = new JsonArray([.. expiriesMs.Select(e => (JsonNode)e)]);
        return Signed(p, SignedMessages.Expire("", expiriesMs, hashes));
    }

    public JsonObject GetExpiries(IReadOnlyList<string> hashes, long timestampMs)
    {
        var p = Base(null);
        p["messages"] = Hashes(hashes);
        p["timestamp"] = timestampMs;
        return Signed(p, SignedMessages.GetExpiries(timestampMs, hashes));
    }

    /// <summary>revoke_subaccount or unrevoke_subaccount; only the owner may sign these.</summary>
    public JsonObject Revocation(string method, IReadOnlyList<SubaccountToken> tokens, long timestampMs)
    {
        var p = Base(null);
        p[method == "revoke_subaccount" ? "revoke" : "unrevoke"] = new JsonArray([.. tokens.Select(t => (JsonNode)Base64Text.Encode(t.Bytes))]);
        p["timestamp"] = timestampMs;
        return OwnerSigned(p, SignedMessages.Revocation(method, timestampMs, tokens.Select(t => t.Bytes)));
    }

    public JsonObject RevokedSubaccounts(long timestampMs)
    {
        var p = Base(null);
        p["timestamp"] = timestampMs;
        return OwnerSigned(p, SignedMessages.RevokedSubaccounts(timestampMs));
    }

    private JsonObject Base(short? ns, bool allowAll = false)
    {
        var p = new JsonObject { ["pubkey"] = Keys.Account.Hex };
        if (ns is { } one)
        {
            p["namespace"] = one;
        }
        else if (allowAll)
        {
            p["namespace"] = "all";
        }

        return p;
    }

    private JsonObject Signed(JsonObject p, byte[] message)
    {
        if (Subaccount is null)
        {
            return OwnerSigned(p, message);
        }

        AddPubkeyEd25519(p);
        p["subaccount"] = Base64Text.Encode(Subaccount.Token.Bytes);
        p["subaccount_sig"] = Base64Text.Encode(Subaccount.TokenSignature);
        p["signature"] = Base64Text.Encode(Ed25519.Sign(message, Subaccount.Keys));
        return p;
    }

    private JsonObject OwnerSigned(JsonObject p, byte[] message)
    {
        AddPubkeyEd25519(p);
        p["signature"] = Base64Text.Encode(Keys.Sign(message));
        return p;
    }

    private void AddPubkeyEd25519(JsonObject p)
    {
        if (Keys.PubkeyEd25519Hex is { } hex)
        {
            p["pubkey_ed25519"] = hex;
        }
    }

    private static JsonArray Hashes(IEnumerable<string> hashes) => [.. hashes.Select(h => (JsonNode)h)];
}
