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

    /// <summary>
    /// Bytes that request bodies may hold at once, node-wide; unset (default) means a quarter of the runtime's
    /// memory limit, between 32 and 128 MiB (48 MiB under the image's MemoryMax=256M). Past it bodies answer 503.
    /// </summary>
    public long? BodyBytesInFlight { get; set; }

    /// <summary>The smallest budget that still holds one body at the 10 MiB cap (its pooled buffer is 16 MiB).</summary>
    public const long MinBodyBytesInFlight = 16 << 20;

    public long ResolveBodyBytesInFlight() =>
        BodyBytesInFlight ?? Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4, 32L << 20, 128L << 20);

    /// <summary>
    /// systemd-timesyncd's state directory (/run/systemd/timesync on the image): while it exists without its
    /// "synchronized" flag the clock is not trusted until peers' signed times set it. Empty (default) trusts the
    /// system clock as it is, for machines that keep their own time.
    /// </summary>
    public string TimeSyncDirectory { get; set; } = "";

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
