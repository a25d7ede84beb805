using SessionAppliance.Node.Bandwidth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionAppliance.Hosting;
using Microsoft.Extensions.Options;
using SessionAppliance.Node.Identity;
using SessionAppliance.Node.Onion;
using SessionAppliance.Node.Rpc;
using SessionAppliance.Node.Rpc.Methods;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Onion;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Hosting;

/// <summary>Registers the node's capabilities with the host.</summary>
public static class NodeServices
{
    public static IServiceCollection AddSessionNode(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NodeOptions>().Bind(configuration.GetSection(NodeOptions.Section)).ValidateOnStart();
        services.AddOptions<OnionOptions>().Bind(configuration.GetSection(OnionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OnionOptions>, OnionOptionsValidator>();
        services.AddOptions<NetworkOptions>().Bind(configuration.GetSection(NetworkOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NetworkOptions>, NetworkOptionsValidator>();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NodeOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var dataDirectory = sp.GetRequiredService<NodeOptions>().ResolveDataDirectory();
            var network = sp.GetRequiredService<IOptions<NetworkOptions>>().Value;
            if (!network.UsesOxendRpc)
            {
                return NodeIdentityStore.LoadOrCreate(dataDirectory);
            }

            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("SessionAppliance.Node.Oxend");
            return Oxend.OxendIdentity.Fetch(network, dataDirectory, message => log.LogWarning("{Progress}", message));
        });
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var directory = sp.GetRequiredService<NodeOptions>().ResolveDataDirectory();
            var path = Path.Combine(directory, storage.FileName);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("SessionAppliance.Node.Storage");
            return new RecoveringMessageStore(
                capacity => new LiteDbMessageStore(path, storage, sp.GetRequiredService<TimeProvider>(), loading: new StoreLoadProgress(logger),
                    migrating: new StoreLoadProgress(logger, "Moving messages from the old one-per-document layout into packs"), capacityBytes: capacity, log: logger),
                directory, sp.GetRequiredService<NodeReadiness>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RecoveringMessageStore>>());
        });
        services.AddSingleton<IMessageStore>(sp => sp.GetRequiredService<RecoveringMessageStore>());
        services.AddHostedService(sp => sp.GetRequiredService<RecoveringMessageStore>());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NetworkOptions>>().Value);
        services.AddSingleton(sp => NetworkSource.Create(sp.GetRequiredService<NodeKeys>(), sp.GetRequiredService<NodeOptions>(), sp.GetRequiredService<NetworkOptions>()));
        services.AddSingleton<INetworkViewSource>(sp => sp.GetRequiredService<NetworkSource>());
        services.AddSingleton<PeerHttpClient>();
        services.AddSingleton<PeerChannel>();
        services.AddSingleton<PeerRequestAuthenticator>();
        services.AddSingleton<NodeListClient>();
        services.AddSingleton(sp =>
        {
            var self = NetworkSource.SelfOf(sp.GetRequiredService<NodeKeys>(), sp.GetRequiredService<NodeOptions>(), SwarmSpace.InvalidSwarmId);
            return new SeedRegistry(self, sp.GetRequiredService<NetworkOptions>().RefreshInterval, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<SeedEndpoint>();
        services.AddSingleton<SwarmReplicator>();
        services.AddSingleton<SwarmRpcEndpoint>();
        services.AddSingleton<SwarmPushEndpoint>();
        services.AddSingleton<SwarmPullEndpoint>();
        services.AddHostedService<SwarmRefill>();
        services.AddSingleton<ReachabilityMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ReachabilityMonitor>());
        services.AddSingleton<PeerTestEndpoints>();
        services.AddSingleton<SwarmResync>();
        services.AddHostedService(sp => sp.GetRequiredService<SwarmResync>());
        services.AddSingleton(sp => new NetworkRefresher(
            sp.GetRequiredService<NetworkSource>(), sp.GetRequiredService<NodeListClient>(), sp.GetRequiredService<NetworkOptions>(),
            sp.GetRequiredService<NodeKeys>(), sp.GetRequiredService<NodeOptions>(), sp.GetRequiredService<NodeReadiness>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NetworkRefresher>>(),
            sp.GetRequiredService<NetworkOptions>().IsSeed ? sp.GetRequiredService<SeedRegistry>() : null));
        services.AddHostedService(sp => sp.GetRequiredService<NetworkRefresher>());
        services.AddSingleton<Omq.OmqHost>();
        services.AddHostedService(sp => sp.GetRequiredService<Omq.OmqHost>());
        services.AddSingleton<Omq.StorageCommands>();
        services.AddSingleton<Omq.PeerCommands>();
        services.AddSingleton<Omq.MessageMonitors>();
        services.AddSingleton<Omq.MonitorCommands>();
        services.AddSingleton<IStoredMessageListener>(sp => sp.GetRequiredService<Omq.MonitorCommands>());
        services.AddSingleton<Oxend.OxendClient>();
        services.AddHostedService(sp => sp.GetRequiredService<Oxend.OxendClient>());
        services.AddSingleton<OnionHopSender>();
        services.AddSingleton(sp => new HopKeyDeriver(sp.GetRequiredService<NodeKeys>().X25519SecretKey, sp.GetRequiredService<NodeKeys>().X25519PublicKey));
        services.AddSingleton<ProxyForwarder>();
        services.AddSingleton<OnionEndpoint>();
        services.AddSingleton<NodeReadiness>();
        services.AddSingleton<NodeHealthReport>();
        services.AddSingleton<RequestCounters>();
        services.AddHostedService<IdleMemoryTrim>();
        services.AddSingleton<Clock.ClockTrust>();
        services.AddHostedService(sp => sp.GetRequiredService<Clock.ClockTrust>());
        services.AddSingleton<ClientRateLimiter>();
        services.AddSingleton<OnionRateLimiter>();
        services.AddSingleton<RequestBodyReader>();
        services.AddHostedService<ExpirySweeper>();
        services.AddOptions<BandwidthOptions>().Bind(configuration.GetSection(BandwidthOptions.Section));
        services.AddSingleton(sp =>
        {
            var counters = Path.Combine(sp.GetRequiredService<NodeOptions>().ResolveDataDirectory(), BandwidthCounterStore.FileName);
            var plan = BandwidthPlan.From(sp.GetRequiredService<IOptions<BandwidthOptions>>().Value);
            return new BandwidthGovernor(plan, sp.GetRequiredService<TimeProvider>(), BandwidthCounterStore.Load(counters));
        });
        services.AddHostedService(sp => new BandwidthCounterStore(
            Path.Combine(sp.GetRequiredService<NodeOptions>().ResolveDataDirectory(), BandwidthCounterStore.FileName),
            sp.GetRequiredService<BandwidthGovernor>(),
            sp.GetRequiredService<IOptions<BandwidthOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        // Alive means the health report can still be built: the thread pool, timers and the store answer.
        services.AddHostedService(sp => new SystemdWatchdog(() => sp.GetRequiredService<NodeHealthReport>().Build() is not null, sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<WearAccounting>();
        services.AddHostedService(sp => sp.GetRequiredService<WearAccounting>());

        services.AddSingleton<ResponseStamp>();
        services.AddSingleton<SwarmGuard>();
        services.AddSingleton<SwarmReply>();
        services.AddSingleton<RequestVerifier>();
        services.AddSingleton<ClientRpcDispatcher>();
        services.AddSingleton<StorageRpcEndpoint>();
        AddMethods(services);
        return services;
    }

    /// <summary>
    /// Makes every reader of <see cref="TimeProvider"/> read the <see cref="Clock.NetworkClock"/> over whatever clock
    /// was registered last (the system's, or a test's). Call after all other registrations.
    /// </summary>
    public static void UseNetworkClock(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TimeProvider))?.ImplementationInstance as TimeProvider;
        var clock = new Clock.NetworkClock(registered ?? TimeProvider.System);
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
    }

    private static void AddMethods(IServiceCollection services)
    {
        services.AddSingleton<IClientMethod, StoreMethod>();
        services.AddSingleton<IClientMethod, RetrieveMethod>();
        services.AddSingleton<IClientMethod, DeleteMethod>();
        services.AddSingleton<IClientMethod, DeleteAllMethod>();
        services.AddSingleton<IClientMethod, DeleteBeforeMethod>();
        services.AddSingleton<IClientMethod, ExpireMethod>();
        services.AddSingleton<IClientMethod, ExpireAllMethod>();
        services.AddSingleton<IClientMethod, GetExpiriesMethod>();
        services.AddSingleton<IClientMethod, GetSwarmMethod>();
        services.AddSingleton<IClientMethod, InfoMethod>();
        services.AddSingleton<IClientMethod, OxendRequestMethod>();
        services.AddSingleton<IClientMethod>(sp => ActivatorUtilities.CreateInstance<RevocationMethod>(sp, true));
        services.AddSingleton<IClientMethod>(sp => ActivatorUtilities.CreateInstance<RevocationMethod>(sp, false));
        services.AddSingleton<IClientMethod, RevokedSubaccountsMethod>();
        services.AddSingleton<IClientMethod, BatchMethod>();
        services.AddSingleton<IClientMethod, SequenceMethod>();
        services.AddSingleton<IClientMethod, IfElseMethod>();
    }
}
