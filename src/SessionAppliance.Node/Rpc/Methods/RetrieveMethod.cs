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
    public string Name => "retrieve";

    public Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken)
    {
        var account = p.RequireAccount();
        var ns = p.Namespace(allowAll: false)!.Value;
        var lastHash = p.OptionalString("last_hash", "lastHash");
        if (lastHash is { Length: 0 })
        {
            lastHash = null;
        }

        if (lastHash is not null && !MessageHash.IsWellFormed(lastHash))
        {
            throw RpcParams.WrongType("last_hash", "43-character message hash");
        }

        var limits = RetrieveLimits.FromRequest(p.OptionalInteger("max_count") ?? 0, p.OptionalInteger("max_size") ?? 0);
        var mustVerify = Namespaces.RetrieveNeedsAuth(ns) || AuthReader.AnyPresent(p);
        var auth = mustVerify ? AuthReader.Read(p, account) : null;
        var timestamp = mustVerify ? p.OptionalTimestamp("timestamp") : null;

        if (swarm.Misrouted(account) is { } redirect)
        {
            return Task.FromResult(redirect);
        }

        if (mustVerify)
        {
            if (auth is null || timestamp is null)
            {
                return Task.FromResult(RpcResponse.Error(401, "retrieve: request signature required"));
            }

            if (!verifier.WithinWindow(timestamp.Value, RequestVerifier.SignatureWindow))
            {
                return Task.FromResult(RpcResponse.Error(406, "retrieve timestamp too far from current time"));
            }

            verifier.Verify("retrieve", account, auth, SignedMessages.Retrieve(ns, timestamp.Value), SubaccountFlags.Read,
                checkRevocation: !Namespaces.IsUnrevocable(ns));
        }

        var page = store.Retrieve(account, ns, lastHash, limits);
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
    }
}
