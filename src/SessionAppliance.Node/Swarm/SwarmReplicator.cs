using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Rpc;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// Replication of state-changing requests (spec §5.4): the entry node forwards the client's request, as sent, to
/// every other member of the account's swarm while it applies it itself; each peer re-validates it (its own
/// signature and time checks) and answers its own part without forwarding again. The peers' entries are merged
/// under "swarm" keyed by Ed25519 hex; a peer that times out, fails or answers anything not signed by its key is
/// reported as failed there and never delays the answer past <see cref="Timeout"/>.
/// </summary>
public sealed class SwarmReplicator(INetworkViewSource network, PeerChannel peers, Omq.OmqHost omq)
{
    public const string Path = "/swarm_rpc/v1";

    /// <summary>The reference's forward timeout (spec §5.4).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Wraps a prepared client call so that it also runs on the swarm's other members.</summary>
    public RpcCall Wrap(string method, JsonElement parameters, RpcCall local, TaskCompletionSource? localDone = null)
    {
        // Copied now: the request's JSON document is gone by the time the call runs.
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["method"] = method, ["params"] = JsonNode.Parse(parameters.GetRawText()) }.ToJsonString());
        var btParams = omq.CarriesPeerTraffic ? BtWriter.Encode(BtJson.RequestFromJson(JsonNode.Parse(parameters.GetRawText()))) : null;
        var account = AccountOf(parameters);
        return async cancellationToken =>
        {
            var others = account is null ? [] : OtherMembers(account);
            if (others.Count == 0)
            {
                return await local(cancellationToken).ConfigureAwait(false);
            }

            using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var forwards = others.Select(peer => btParams is null ? ForwardAsync(peer, body, abandon.Token) : ForwardOverOmqAsync(peer, method, btParams, abandon.Token)).ToArray();
            var response = await local(cancellationToken).ConfigureAwait(false);
            localDone?.TrySetResult();
            if (response.Json?["swarm"] is not JsonObject swarm)
            {
                // Refused here (bad signature, wrong swarm, ...). The peers check it themselves and will have refused
                // it too for the same reasons; only a local failure such as a full store can differ.
                await abandon.CancelAsync().ConfigureAwait(false);
                return response;
            }

            foreach (var (peer, entry) in await Task.WhenAll(forwards).ConfigureAwait(false))
            {
                swarm[peer] = entry;
            }

            // delete with "required" answers 404 only when no member deleted anything, as the reference decides it
            // after every member has answered; this node's own 404 is undone by a peer that did delete.
            return response.Status == 404 && swarm.Any(e => e.Value?["deleted"] is JsonArray { Count: > 0 })
                ? Protocol.Rpc.RpcResponse.WithJson(200, response.Json!)
                : response;
        };
    }

    private List<ServiceNode> OtherMembers(AccountId account)
    {
        var view = network.Current;
        var swarm = view.SwarmOf(account);
        return swarm.SwarmId == view.Self.SwarmId && !view.Self.IsDecommissioned
            ? [.. swarm.Members.Where(m => !m.Ed25519PublicKey.AsSpan().SequenceEqual(view.Self.Ed25519PublicKey))]
            : [];
    }

    private async Task<(string Peer, JsonObject Entry)> ForwardAsync(ServiceNode peer, byte[] body, CancellationToken cancellationToken)
    {
        PeerChannel.Reply reply;
        try
        {
            reply = await peers.PostAsync(peer, Path, body, Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return (peer.Ed25519Hex, Failed(("timeout", true)));
        }

        return (peer.Ed25519Hex, EntryOf(peer, reply));
    }

    /// <summary><c>sn.storage_cc [method, bt params]</c>, answered with the peer's bare entry (bt), or <c>[code, text]</c>.</summary>
    private async Task<(string Peer, JsonObject Entry)> ForwardOverOmqAsync(ServiceNode peer, string method, byte[] btParams, CancellationToken cancellationToken)
    {
        var reply = await omq.RequestAsync(peer, "sn.storage_cc", [Encoding.UTF8.GetBytes(method), btParams], Timeout, cancellationToken).ConfigureAwait(false);
        if (!reply.Success)
        {
            return (peer.Ed25519Hex, reply.Reason == OxenMq.OmqErrors.Timeout ? Failed(("timeout", true)) : Failed(("bad_peer_response", true)));
        }

        var entryPart = reply.Parts.Count == 1 ? reply.Parts[0] : reply.Parts.Count == 2 ? reply.Parts[1] : null;
        if (entryPart is { Length: > 0 } && entryPart[0] == 'd' && BtReader.TryParse(entryPart, out var bt) && BtJson.ToJson(bt!) is JsonObject entry)
        {
            return (peer.Ed25519Hex, entry);
        }

        return reply.Parts.Count == 2 && int.TryParse(Encoding.ASCII.GetString(reply.Parts[0]), out var code)
            ? (peer.Ed25519Hex, Failed(("code", code), ("reason", Encoding.UTF8.GetString(reply.Parts[1]))))
            : (peer.Ed25519Hex, Failed(("bad_peer_response", true)));
    }

    /// <summary>The peer's own entry from its answer, or the reference's failure entry (spec §3.4).</summary>
    public static JsonObject EntryOf(ServiceNode peer, PeerChannel.Reply reply)
    {
        if (!reply.Authentic)
        {
            return reply.Status switch
            {
                504 => Failed(("timeout", true)),
                502 => Failed(("code", 502), ("reason", "peer unreachable")),
                _ => Failed(("bad_peer_response", true)),
            };
        }

        // A refusal with an entry (delete with "required" and nothing deleted answers 404) still carries the entry.
        var entry = UntrustedJson.Read(reply.Body, a => a["swarm"]![peer.Ed25519Hex] as JsonObject, null);
        if (entry is not null)
        {
            return (JsonObject)entry.DeepClone();
        }

        return reply.Status == 200 ? Failed(("bad_peer_response", true)) : Failed(("code", reply.Status), ("reason", Encoding.UTF8.GetString(reply.Body)));
    }

    private static JsonObject Failed(params (string Name, JsonNode Value)[] details)
    {
        var entry = new JsonObject { ["failed"] = true };
        foreach (var (name, value) in details)
        {
            entry[name] = value;
        }

        return entry;
    }

    /// <summary>The account a request is about ("pubkey", or its "pubKey" alias), if it names one.</summary>
    public static AccountId? AccountOf(JsonElement parameters)
    {
        foreach (var name in new[] { "pubkey", "pubKey" })
        {
            if (parameters.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && AccountId.TryParse(value.GetString()!, out var account))
            {
                return account;
            }
        }

        return null;
    }
}
