using System.Text;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// Keeps the node list fresh: registers with every seed, then takes the list from this node's own registry (a
/// seed), the first seed that answers, or oxend. On our own networks every node computes the swarm map itself
/// from the list and the list's block hash (<see cref="SwarmMap"/>); oxend's swarm ids are taken as given. A
/// seed that is down costs nothing while the node already has a list.
/// </summary>
public sealed partial class NetworkRefresher(
    NetworkSource source, NodeListClient client, NetworkOptions options, NodeKeys keys, NodeOptions node,
    NodeReadiness readiness, TimeProvider time, ILogger<NetworkRefresher> logger, SeedRegistry? registry = null) : BackgroundService
{
    private const string Component = "network";
    private bool _warnedUnreachable;

    /// <summary>The block hash our seeds serve: the digest of the network's name.</summary>
    public static byte[] SeedValue(string swarmSeed) => Blake2b.Hash256(Encoding.UTF8.GetBytes("session-appliance network " + swarmSeed));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // With oxend, OxendClient brings the list (on each block) and applies it here.
        if (!options.IsDynamic || options.UsesOxendRpc)
        {
            return;
        }

        if (registry is null)
        {
            readiness.NotReady(Component, "waiting for the node list from " + (options.OxendUrl.Length > 0 ? "oxend" : "the seeds"));
        }

        using var timer = new PeriodicTimer(options.RefreshInterval, time);
        try
        {
            do
            {
                try
                {
                    await RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // One bad refresh must not end refreshing: the node keeps its list and tries again.
                    LogRefreshFailed(logger, error);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(options.Seeds.Select(seed => client.RegisterAsync(new Uri(seed), cancellationToken))).ConfigureAwait(false);
        var list = await FetchAsync(cancellationToken).ConfigureAwait(false);
        if (list is null)
        {
            if (!_warnedUnreachable)
            {
                LogNoList(logger, source.Current.Height);
                _warnedUnreachable = true;
            }

            return;
        }

        _warnedUnreachable = false;
        Apply(list);
    }

    private async Task<FetchedNodeList?> FetchAsync(CancellationToken cancellationToken)
    {
        if (registry is not null)
        {
            var (nodes, height) = registry.Current();
            return new FetchedNodeList(nodes, height, SeedValue(options.SwarmSeed), "this seed");
        }

        if (options.OxendUrl.Length > 0)
        {
            return await client.FetchAsync(new Uri(options.OxendUrl), cancellationToken).ConfigureAwait(false);
        }

        foreach (var seed in options.Seeds)
        {
            if (await client.FetchAsync(new Uri(seed), cancellationToken).ConfigureAwait(false) is { } list)
            {
                return list;
            }
        }

        return null;
    }

    /// <summary>Makes <paramref name="list"/> the node's view; with <paramref name="swarmsAssigned"/> (oxend) its swarm ids are taken as given.</summary>
    public void Apply(FetchedNodeList list, bool swarmsAssigned = false)
    {
        var unique = list.Nodes.DistinctBy(n => n.Ed25519Hex).ToList();
        var blockHash = list.BlockHash.Length > 0 ? list.BlockHash : SeedValue(options.SwarmSeed);
        var assigned = swarmsAssigned || options.OxendUrl.Length > 0 ? unique : SwarmMap.Assign(unique, blockHash);
        var self = assigned.FirstOrDefault(n => n.Ed25519PublicKey.AsSpan().SequenceEqual(keys.Ed25519.PublicKey));
        var view = new NodeList(self ?? NetworkSource.SelfOf(keys, node, SwarmSpace.InvalidSwarmId), assigned, list.Height, blockHash);
        if (self is null || self.IsDecommissioned)
        {
            readiness.NotReady(Component, "not in any swarm: this node is not in the list yet");
        }
        else
        {
            readiness.Ready(Component);
        }

        var current = source.Current;
        if (current.Height == view.Height && NodeList.MapDigest(current) == NodeList.MapDigest(view) && current.Self.SwarmId == view.Self.SwarmId)
        {
            return;
        }

        source.Replace(view);
        var swarm = self is null ? "none" : self.SwarmId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        LogNewList(logger, assigned.Count, assigned.Select(n => n.SwarmId).Distinct().Count(), swarm, assigned.Count(n => self is not null && n.SwarmId == self.SwarmId), list.Height, list.Source);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node list: {Nodes} nodes in {Swarms} swarms; this node is in swarm {Swarm} with {Members} members (height {Height}, from {Source})")]
    private static partial void LogNewList(ILogger logger, int nodes, int swarms, string swarm, int members, long height, string source);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the node list failed; keeping the current list")]
    private static partial void LogRefreshFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No seed or oxend answered with a usable node list; keeping the list of height {Height}")]
    private static partial void LogNoList(ILogger logger, long height);
}
