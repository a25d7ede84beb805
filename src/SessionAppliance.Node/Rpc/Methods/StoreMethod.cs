using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>store</c> (spec §3.4): validate, hash, keep, and answer with this node's signed receipt.</summary>
public sealed class StoreMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys, IStoredMessageListener listener) : IClientMethod
{
    public const int MaxDataBytes = 76_800;
    private const int MaxDataBase64Chars = MaxDataBytes / 3 * 4;
    private const long ClockToleranceMs = 10_000;

    public MethodDeclaration Declaration { get; } = new(["store"], Forwarded: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("data", FieldType.String), ("expiry", FieldType.Timestamp), ("namespace", FieldType.Namespace),
            ("pubKey", FieldType.String), ("pubkey", FieldType.String), ("sig_timestamp", FieldType.Timestamp),
            ("timestamp", FieldType.IntegerOrString), ("ttl", FieldType.UnsignedOrString), .. AuthReader.Fields]);
        var timestamp = p.OptionalIntegerOrString("timestamp", allowNegative: true);
        var ttl = p.OptionalIntegerOrString("ttl", allowNegative: false);
        if (timestamp is null)
        {
            throw RpcParams.Missing("timestamp");
        }

        var expiry = ReadExpiry(p, timestamp.Value, ttl);
        var account = p.RequireAccountWithAlias();
        var ns = p.Namespace()!.Value;
        var auth = p.Has("signature") ? AuthReader.Read(p, account) : null;
        var sigTimestamp = auth is null ? timestamp.Value : p.OptionalTimestamp("sig_timestamp") ?? timestamp.Value;
        var data = ReadData(p);

        return async cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return redirect;
            }

            var ttlMs = expiry - timestamp.Value;
            if (ttlMs < (long)Namespaces.MinTtl.TotalMilliseconds || ttlMs > (long)Namespaces.MaxTtlFor(ns).TotalMilliseconds)
            {
                return RpcResponse.Error(403, "Provided expiry/TTL is not valid.");
            }

            var now = verifier.NowMs;
            if (timestamp > now + ClockToleranceMs || expiry < now - ClockToleranceMs)
            {
                return RpcResponse.Error(406, "Timestamp error: check your clock");
            }

            // A signature sent to a public-inbox namespace is parsed but, as in the reference, never verified.
            if (Namespaces.StoreNeedsAuth(ns))
            {
                if (auth is null)
                {
                    return RpcResponse.Error(401, $"store: signature required to store to namespace {ns}");
                }

                if (!verifier.WithinWindow(sigTimestamp, RequestVerifier.SignatureWindow))
                {
                    return RpcResponse.Error(406, "store signature timestamp too far from current time");
                }

                var required = Namespaces.IsPublicOutbox(ns) ? SubaccountFlags.Write | SubaccountFlags.Delete : SubaccountFlags.Write;
                verifier.Verify("store signature verification failed", account, auth, SignedMessages.Store(ns, sigTimestamp), required);
            }

            var hash = MessageHash.Compute(account, ns, data);
            var message = new StoredMessage(account, ns, hash, timestamp.Value, expiry, data);
            var outcome = await store.StoreAsync(message, replaceNamespace: Namespaces.IsPublicOutbox(ns), cancellationToken).ConfigureAwait(false);
            if (outcome.Status == StoreStatus.Inserted)
            {
                listener.OnNewMessage(message);
            }

            return outcome.Status == StoreStatus.StorageFull
                ? reply.Build(SwarmReply.QueryFailure(), ownTime: true)
                : reply.Build(Receipt(hash, outcome), new JsonObject { ["hash"] = hash }, ownTime: true);
        };
    }

    private JsonObject Receipt(string hash, StoreOutcome outcome)
    {
        var entry = new JsonObject
        {
            ["hash"] = hash,
            ["signature"] = Base64Text.Encode(keys.Sign(SignedMessages.StoreReply(hash))),
            ["expiry"] = outcome.ExpiryMs,
        };
        if (outcome.Status == StoreStatus.AlreadyExisted)
        {
            entry["already"] = true;
        }

        return entry;
    }

    /// <summary>Exactly one of "expiry" (ms) or "ttl" (ms from timestamp).</summary>
    private static long ReadExpiry(RpcParams p, long timestamp, long? ttl)
    {
        var expiry = p.OptionalTimestamp("expiry");
        return (expiry, ttl) switch
        {
            ({ }, { }) => throw RpcException.InvalidRequest("Cannot specify both 'expiry' and 'ttl'"),
            ({ } e, null) => e,
            (null, { } t) => timestamp + t,
            _ => throw RpcException.InvalidRequest("Required field 'expiry' or 'ttl' missing"),
        };
    }

    private static byte[] ReadData(RpcParams p)
    {
        var text = p.OptionalString("data") ?? throw RpcParams.Missing("data");
        if (!Base64Text.TryDecode(text, out var data))
        {
            throw RpcException.InvalidRequest("Invalid 'data' value: not base64 encoded");
        }

        return text.Length > MaxDataBase64Chars
            ? throw RpcException.InvalidRequest($"Message body exceeds maximum allowed length of {MaxDataBytes} bytes")
            : data;
    }
}
