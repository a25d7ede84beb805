using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary><c>retrieve</c> (spec §3.4): messages after last_hash, within count and size limits.</summary>
public sealed class RetrieveMethod(IMessageStore store, SwarmGuard swarm, RequestVerifier verifier, ResponseStamp stamp) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["retrieve"], Forwarded: false);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes([("lastHash", FieldType.String), ("last_hash", FieldType.String), ("max_count", FieldType.Integer),
            ("max_size", FieldType.Integer), ("namespace", FieldType.Namespace), ("pubKey", FieldType.String), ("pubkey", FieldType.String),
            ("timestamp", FieldType.Timestamp), .. AuthReader.Fields]);
        var account = p.RequireAccountWithAlias();
        var namespaceGiven = p.Has("namespace");
        var ns = p.Namespace()!.Value;

        // Any auth field, or an explicit namespace that needs auth, means the request must be signed.
        var signed = p.Has("pubkey_ed25519") || p.Has("signature") || p.Has("timestamp") || (namespaceGiven && Namespaces.RetrieveNeedsAuth(ns));
        var auth = signed ? AuthReader.Read(p, account) : null;
        var timestamp = signed ? p.RequireTimestamp("timestamp") : 0;
        var lastHash = ReadLastHash(p);
        var (maxCount, maxSize) = (p.OptionalInt("max_count") ?? 0, p.OptionalInt("max_size") ?? 0);

        return cancellationToken =>
        {
            if (swarm.Misrouted(account) is { } redirect)
            {
                return Task.FromResult(redirect);
            }

            if (Namespaces.RetrieveNeedsAuth(ns) && !signed)
            {
                return Task.FromResult(RpcResponse.Error(401, "retrieve: request signature required"));
            }

            if (signed)
            {
                if (!verifier.WithinWindow(timestamp, RequestVerifier.SignatureWindow))
                {
                    return Task.FromResult(RpcResponse.Error(406, "retrieve timestamp too far from current time"));
                }

                verifier.Verify("retrieve signature verification failed", account, auth, SignedMessages.Retrieve(ns, timestamp), SubaccountFlags.Read,
                    checkRevocation: !Namespaces.IsUnrevocable(ns));
            }

            var page = maxCount == -1
                ? new RetrievePage([], More: false) // The reference turns -1 into "LIMIT 0".
                : store.Retrieve(account, ns, lastHash, RetrieveLimits.FromRequest(maxCount, maxSize));
            var messages = new JsonArray();
            foreach (var message in page.Messages)
            {
                messages.Add((JsonNode)new JsonObject
                {
                    ["hash"] = message.Hash,
                    ["timestamp"] = message.TimestampMs,
                    ["expiration"] = message.ExpiryMs,
                    ["data"] = Base64Text.Encode(message.Data),
                });
            }

            return Task.FromResult(stamp.Ok(new JsonObject { ["messages"] = messages, ["more"] = page.More }));
        };
    }

    private static string? ReadLastHash(RpcParams p)
    {
        var (snake, camel) = (p.OptionalString("last_hash"), p.OptionalString("lastHash"));
        if (snake is not null && camel is not null)
        {
            throw RpcException.InvalidRequest("Cannot specify both 'last_hash' and 'lastHash'");
        }

        return (snake ?? camel) switch
        {
            null or "" => null,
            { Length: MessageHash.TextLength } hash => Base64Text.TryDecode(hash, out _) ? hash : throw RpcException.InvalidRequest("Invalid last_hash: not base64"),
            _ => throw RpcException.InvalidRequest("Invalid last_hash: expected base64 (43 chars)"),
        };
    }
}
