using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Storage;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// The asking side of <see cref="SwarmPullEndpoint"/>: a node that starts with an empty store asks the other members
/// of its swarm, once it is ready, to send it the swarm's messages. The reference's peers never refill such a node;
/// a home board loses its card far more often than a server loses its disk. (A brand-new node asks too: its swarm's
/// resync may send the same messages, which it then already holds and skips.)
/// </summary>
public sealed partial class SwarmRefill(IMessageStore store, INetworkViewSource network, NodeReadiness readiness, PeerChannel peers,
    NetworkOptions options, TimeProvider time, ILogger<SwarmRefill> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const int Attempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RefillWhenEmpty || store.Statistics().MessageCount > 0)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(Poll, time);
            while (!readiness.IsReady || Members().Count == 0)
            {
                await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
            }

            // Clients or a resync may have filled it while it became ready: then there is nothing to ask for.
            if (store.Statistics().MessageCount > 0)
            {
                return;
            }

            // A member that did not take the request (busy, restarting, too slow to answer) is asked again.
            var asked = Members();
            var waiting = asked.ToList();
            for (var attempt = 1; waiting.Count > 0 && attempt <= Attempts; attempt++)
            {
                if (attempt > 1)
                {
                    await Task.Delay(Poll * attempt, time, stoppingToken).ConfigureAwait(false);
                }

                var replies = await Task.WhenAll(waiting.Select(m => peers.PostAsync(m, SwarmPullEndpoint.Path, [], Timeout, stoppingToken))).ConfigureAwait(false);
                waiting = [.. waiting.Where((_, i) => !(replies[i].Authentic && replies[i].Status is 202 or 409))];
            }

            LogAsked(logger, asked.Count, asked.Count - waiting.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private List<Protocol.Swarm.ServiceNode> Members()
    {
        var view = network.Current;
        return view.Self.IsDecommissioned
            ? []
            : [.. view.Nodes.Where(n => n.SwarmId == view.Self.SwarmId && !n.IsDecommissioned && !n.Ed25519PublicKey.AsSpan().SequenceEqual(view.Self.Ed25519PublicKey))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started with an empty store: asked {Asked} members of the swarm for its messages, {Accepted} are sending")]
    private static partial void LogAsked(ILogger logger, int asked, int accepted);
}
