using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>store</c> (spec §3.4): validate, hash, keep, and answer with this node's signed receipt.</summary>
public sealed class StoreMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, SwarmReply reply, NodeKeys keys) : IClientMethod
{
    public const int MaxDataBytes = 76_800;
    private const int MaxDataBase64Chars = MaxDataBytes / 3 * 4;
    private static readonly long ClockToleranceMs = 10_000;

    public string Name => "store";

    public async Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken)
    {
        var account = p.RequireAccount();
        var ns = p.Namespace(allowAll: false)!.Value;
        var timestamp = p.RequireTimestamp("timestamp", allowString: true);
        var expiry = ReadExpiry(p, timestamp);
        var dataText = p.RequireString("data");
        if (dataText.Length > MaxDataBase64Chars)
        {
            throw RpcException.BadRequest($"Message body exceeds maximum allowed length of {MaxDataBytes} bytes");
        }

        if (!Base64Text.TryDecode(dataText, out var data))
        {
            throw RpcParams.WrongType("data", "base64 encoded data");
        }

        var auth = AuthReader.Read(p, account);
        var sigTimestamp = p.OptionalTimestamp("sig_timestamp") ?? timestamp;

        if (swarm.Misrouted(account) is { } redirect)
        {
            return redirect;
        }

        var ttl = expiry - timestamp;
        if (ttl < (long)Namespaces.MinTtl.TotalMilliseconds || ttl > (long)Namespaces.MaxTtlFor(ns).TotalMilliseconds)
        {
            return RpcResponse.Error(403, "Provided expiry/TTL is not valid.");
        }

        var now = verifier.NowMs;
        if (timestamp > now + ClockToleranceMs || expiry < now - ClockToleranceMs)
        {
            return RpcResponse.Error(406, "Timestamp error: check your clock");
        }

        if (Namespaces.StoreNeedsAuth(ns))
        {
            if (auth is null)
            {
                return RpcResponse.Error(401, $"store: signature required to store to namespace {ns}");
            }

            if (!verifier.WithinWindow(sigTimestamp, RequestVerifier.SignatureWindow))
            {
                return RpcResponse.Error(406, "store timestamp too far from current time");
            }

            var required = Namespaces.IsPublicOutbox(ns) ? SubaccountFlags.Write | SubaccountFlags.Delete : SubaccountFlags.Write;
            verifier.Verify("store", account, auth, SignedMessages.Store(ns, sigTimestamp), required);
        }

        var hash = MessageHash.Compute(account, ns, data);
        var message = new StoredMessage(account, ns, hash, timestamp, expiry, data);
        var outcome = await store.StoreAsync(message, replaceNamespace: Namespaces.IsPublicOutbox(ns), cancellationToken).ConfigureAwait(false);
        var entry = outcome.Status == StoreStatus.StorageFull
            ? SwarmReply.Failure(507, "Storage full")
            : Receipt(hash, outcome);

        return reply.Build(entry, new JsonObject { ["hash"] = hash });
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

    /// <summary>One of "ttl" (ms) or "expiry" (ms); both may be decimal strings for store.</summary>
    private static long ReadExpiry(RpcParams p, long timestamp)
    {
        if (p.OptionalUnsigned("expiry", allowString: true) is { } expiry)
        {
            return expiry;
        }

        if (p.OptionalUnsigned("ttl", allowString: true) is { } ttl)
        {
            return timestamp + ttl;
        }

        throw RpcParams.Missing("expiry");
    }
}
