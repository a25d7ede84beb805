using System.Text;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Storage;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// <c>POST /swarm_push/v1</c>: messages a listed node hands over because this node's swarm now owns them. Every
/// hash is checked against its content and every account against our swarm; copies we already hold are skipped.
/// The stores go through the group-commit writer together, so a batch costs a few commits, not one per message.
/// </summary>
public sealed class SwarmPushEndpoint(PeerRequestAuthenticator authenticator, IMessageStore store, INetworkViewSource network, TimeProvider time)
{
    public const string Path = "/swarm_push/v1";

    /// <summary>The longest TTL any namespace allows (spec §3.4: 30 days).</summary>
    private const long MaxTtlMs = 30L * 24 * 3600 * 1000;

    private const long MaxClockSkewMs = 60_000;

    public async Task HandleAsync(HttpContext context)
    {
        if (await authenticator.ReadAsync(context).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var (body, peer) = request;

        var (status, text) = await AcceptAsync(body, context.RequestAborted).ConfigureAwait(false);
        await authenticator.AnswerAsync(context, peer, status, "application/json", Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);
    }

    private async Task<(int Status, string Text)> AcceptAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (MessagePushBatch.Decode(body.Span) is not { } messages)
        {
            return (400, """{"error":"malformed push batch or a hash that does not match its message"}""");
        }

        return await AcceptAsync(messages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the pushed messages that are valid and ours; shared with OxenMQ's <c>sn.data</c>.</summary>
    public async Task<(int Status, string Text)> AcceptAsync(IReadOnlyList<StoredMessage> messages, CancellationToken cancellationToken)
    {

        // A listed node could try to plant messages that never expire or date from the future: refuse those.
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var valid = messages.Where(m => m.TimestampMs <= nowMs + MaxClockSkewMs && m.ExpiryMs > nowMs && m.ExpiryMs <= nowMs + MaxTtlMs).ToList();
        var view = network.Current;
        var ours = valid.Where(m => view.SwarmOf(m.Owner).SwarmId == view.Self.SwarmId && !view.Self.IsDecommissioned).ToList();
        StoreOutcome[] outcomes;
        try
        {
            outcomes = await Task.WhenAll(ours.Select(m => store.StoreAsync(m, replaceNamespace: false, cancellationToken))).ConfigureAwait(false);
        }
        catch (StoreUnavailableException error)
        {
            // The card is full or the store is being reopened: the pusher keeps its copies and tries again later.
            return (507, new System.Text.Json.Nodes.JsonObject { ["error"] = error.Message }.ToJsonString());
        }

        var stored = outcomes.Count(o => o.Status == StoreStatus.Inserted);
        var full = outcomes.Count(o => o.Status == StoreStatus.StorageFull);
        return (full > 0 ? 507 : 200, $$"""{"stored":{{stored}},"already_held":{{outcomes.Count(o => o.Status == StoreStatus.AlreadyExisted)}},"not_ours":{{valid.Count - ours.Count}},"refused_invalid":{{messages.Count - valid.Count}},"refused_full":{{full}}}""");
    }
}
