namespace SessionAppliance.Status.Console;

/// <summary>Configuration section "Console": the operator's page and /metrics on the LAN.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Plain HTTP port on every interface; answered to LAN and link-local clients only. 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 80;

    /// <summary>Where the history is kept between restarts (the data partition on the image).</summary>
    public string StateDirectory { get; set; } = "/var/lib/session-appliance-status";

    /// <summary>One history point per interval; the page keeps 24 h of them and 90 daily points.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the history is written to the card (and once at shutdown): never more than hourly by default.</summary>
    public TimeSpan HistorySaveInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a browser stays allowed to change things after claiming the pairing window.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a double press of the button keeps the pairing window open.</summary>
    public TimeSpan PairingWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Root-run path units act on requests left here: restart-node, reboot, settings (and poweroff).</summary>
    public string RequestDirectory { get; set; } = "/run/session-appliance/requests";

    /// <summary>The operator's settings file on the boot partition: the one place bandwidth settings live.</summary>
    public string SettingsFile { get; set; } = "/boot/firmware/session-appliance.txt";
}
