using SessionAppliance.Node.Bandwidth;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using SessionAppliance.Node.Identity;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Hosting;

/// <summary>Builds the node's web host: configuration, systemd integration, Kestrel on HTTPS, endpoints.</summary>
public static partial class NodeHost
{
    public static WebApplication Build(string[] args, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        NodeConfiguration.Apply(builder.Configuration, args);
        builder.Host.UseSystemd();
        builder.Services.AddSessionNode(builder.Configuration);
        overrides?.Invoke(builder.Services);
        NodeServices.UseNetworkClock(builder.Services);

        var options = builder.Configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        var listen = ValidateAll(builder.Configuration, options);

        var dataDirectory = options.ResolveDataDirectory();
        OwnerOnlyFiles.EnsureDirectory(dataDirectory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RequestBodyReader.MaxBytes;
            var certificate = TlsCertificateStore.LoadOrCreate(dataDirectory, TimeProvider.System);
            kestrel.Listen(listen, options.HttpsPort, endpoint =>
            {
                endpoint.Protocols = HttpProtocols.Http1;

                // Before TLS, so handshakes and record overhead count against the limits too. Always, so the
                // operator's console counts the month's traffic even with no limit set.
                var governor = kestrel.ApplicationServices.GetRequiredService<BandwidthGovernor>();
                endpoint.Use(next => GovernedConnection.Wrap(next, governor));

                endpoint.UseHttps(certificate);
            });
            if (options.HealthPort != 0)
            {
                kestrel.Listen(IPAddress.Loopback, options.HealthPort);
            }
        });

        var app = builder.Build();
        app.MapNodeEndpoints(options.HealthPort);
        app.Lifetime.ApplicationStarted.Register(() => Announce(app, options, dataDirectory));
        return app;
    }

    /// <summary>
    /// Reads and validates the configuration exactly as <see cref="Build"/> would, without opening anything:
    /// the image's first-boot import uses it to find which operator settings are bad.
    /// </summary>
    public static void CheckConfiguration(string[] args) => LoadValidated(args);

    /// <summary>
    /// Moves a damaged message store aside (renamed <c>*.damaged-&lt;UTC time&gt;</c>, never deleted) so the node
    /// can start with an empty one. Returns the files moved.
    /// </summary>
    public static IReadOnlyList<string> RecoverStore(string[] args)
    {
        var (configuration, options) = LoadValidated(args);
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var store = Path.Combine(options.ResolveDataDirectory(), storage.FileName);
        var suffix = DamagedSuffix();
        var moved = new List<string>();
        foreach (var file in new[] { store, StoreFile.LogPathOf(store), StoreJournal.PathOf(store), StoreFile.MarkerPathOf(store) }.Where(File.Exists))
        {
            File.Move(file, file + suffix);
            moved.Add(file + suffix);
        }

        return moved;
    }

    /// <summary>Moves a damaged TLS certificate aside so the next start makes a new one; null when there is none.</summary>
    public static string? RecoverCertificate(string[] args) =>
        TlsCertificateStore.MoveAside(LoadValidated(args).Options.ResolveDataDirectory(), DamagedSuffix());

    private static string DamagedSuffix() =>
        ".damaged-" + DateTime.UtcNow.ToString("yyyyMMddTHHmmssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static (IConfiguration Configuration, NodeOptions Options) LoadValidated(string[] args)
    {
        var configuration = new ConfigurationManager();
        NodeConfiguration.Apply(configuration, args);
        var options = configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        ValidateAll(configuration, options);
        return (configuration, options);
    }

    /// <summary>
    /// Kestrel binds before the options pipeline validates, so every section is checked here first and all
    /// failures are reported together: an operator fixes the file once, not once per section.
    /// </summary>
    private static IPAddress ValidateAll(IConfiguration configuration, NodeOptions options)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var network = configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        var bandwidth = configuration.GetSection(BandwidthOptions.Section).Get<BandwidthOptions>() ?? new BandwidthOptions();
        var onion = configuration.GetSection(Onion.OnionOptions.Section).Get<Onion.OnionOptions>() ?? new Onion.OnionOptions();
        var failures = new[]
        {
            new NodeOptionsValidator().Validate(null, options),
            new StorageOptionsValidator().Validate(null, storage),
            new NetworkOptionsValidator().Validate(null, network),
            new BandwidthOptionsValidator(TimeProvider.System).Validate(null, bandwidth),
            new Onion.OnionOptionsValidator().Validate(null, onion),
        }.Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("configuration", typeof(NodeOptions), failures);
        }

        return IPAddress.Parse(options.ListenAddress);
    }

    private static void Announce(WebApplication app, NodeOptions options, string dataDirectory)
    {
        var keys = app.Services.GetRequiredService<NodeKeys>();
        var self = app.Services.GetRequiredService<INetworkViewSource>().Current.Self;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SessionAppliance.Node");
        LogListening(logger, options.ListenAddress, options.HttpsPort, keys.Ed25519Hex, keys.X25519Hex, self.SnodeAddress, dataDirectory);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session node ready: https://{Address}:{Port}  ed25519 {Ed25519}  x25519 {X25519}  address {SnodeAddress}  data {DataDirectory}")]
    private static partial void LogListening(ILogger logger, string address, int port, string ed25519, string x25519, string snodeAddress, string dataDirectory);
}
