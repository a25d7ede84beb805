namespace SessionAppliance.Node.Hosting;

/// <summary>Configuration section "Node": where the node keeps its data and where it listens.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Data directory; empty means systemd's $STATE_DIRECTORY, else ~/.local/share/session-appliance.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>Address the HTTPS listener binds to.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>HTTPS port (spec §2: 22021 on mainnet).</summary>
    public int HttpsPort { get; set; } = 22021;

    /// <summary>Port advertised for OxenMQ/QUIC in node lists; this node does not listen on it.</summary>
    public int OmqPort { get; set; } = 22020;

    /// <summary>Loopback-only plain-HTTP port where the status service reads /health; 0 turns it off.</summary>
    public int HealthPort { get; set; } = 22080;

    /// <summary>The IPv4 address other nodes and clients reach this node at; empty means the listen address.</summary>
    public string PublicIp { get; set; } = "";

    public string ResolveDataDirectory()
    {
        if (DataDirectory.Length > 0)
        {
            return Path.GetFullPath(DataDirectory);
        }

        var systemdState = Environment.GetEnvironmentVariable("STATE_DIRECTORY");
        if (!string.IsNullOrEmpty(systemdState))
        {
            return systemdState.Split(':')[0];
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "session-appliance");
    }

    public string AdvertisedIp() => PublicIp.Length > 0 ? PublicIp : ListenAddress;
}
