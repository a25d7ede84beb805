using System.Collections.Concurrent;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// <c>POST /swarm_pull/v1</c>: a member of our swarm that came back empty (a new card, a recovered store, the same
/// key) asks for its swarm's messages. Answered at once (202); the messages follow as ordinary push batches through
/// the governed peer connections, one refill per asker at a time, and the outcome is logged here.
/// </summary>
public sealed partial class SwarmPullEndpoint(PeerRequestAuthenticator authenticator, INetworkViewSource network, SwarmResync resync,
    IHostApplicationLifetime lifetime, ILogger<SwarmPullEndpoint> logger)
{
    public const string Path = "/swarm_pull/v1";

    private readonly ConcurrentDictionary<string, bool> _refilling = new(StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        if (await authenticator.ReadAsync(context).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var peer = request.Peer;
        var view = network.Current;
        if (peer.SwarmId != view.Self.SwarmId || view.Self.IsDecommissioned)
        {
            await authenticator.AnswerAsync(context, peer, 403, "application/json", """{"error":"the asking node is not a member of this node's swarm"}"""u8.ToArray()).ConfigureAwait(false);
            return;
        }

        if (!_refilling.TryAdd(peer.Ed25519Hex, true))
        {
            await authenticator.AnswerAsync(context, peer, 409, "application/json", """{"error":"a refill for this node is already under way"}"""u8.ToArray()).ConfigureAwait(false);
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var (accounts, delivered) = await resync.RefillAsync(peer, lifetime.ApplicationStopping).ConfigureAwait(false);
                LogRefilled(logger, peer.Ed25519Hex, accounts, delivered);
            }
            catch (Exception error) when (error is IOException or InvalidOperationException or OperationCanceledException or LiteDB.LiteException)
            {
                LogRefillFailed(logger, peer.Ed25519Hex, error.Message);
            }
            finally
            {
                _refilling.TryRemove(peer.Ed25519Hex, out _);
            }
        });
        await authenticator.AnswerAsync(context, peer, 202, "application/json", """{"refill":"started"}"""u8.ToArray()).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refilled node {Node}: {Accounts} accounts, complete {Delivered}")]
    private static partial void LogRefilled(ILogger logger, string node, int accounts, bool delivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refilling node {Node} failed: {Reason}")]
    private static partial void LogRefillFailed(ILogger logger, string node, string reason);
}
