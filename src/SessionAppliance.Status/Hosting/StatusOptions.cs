namespace SessionAppliance.Status.Hosting;

/// <summary>
/// Configuration section "Status". Pin numbers are BCM GPIO numbers on the 40-pin header; -1 switches an
/// output off. hardware/README.md has the wiring.
/// </summary>
public sealed class StatusOptions
{
    public const string Section = "Status";

    /// <summary>The node's local health endpoint (plain HTTP on loopback).</summary>
    public string NodeHealthUrl { get; set; } = "http://127.0.0.1:22080/health";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No answer from the node for this long shows "error".</summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Before the node's first answer, "booting" is shown for at most this long, then "error".</summary>
    public TimeSpan BootGrace { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Single LED: GPIO17, header pin 11.</summary>
    public int LedPin { get; set; } = 17;

    public bool LedActiveLow { get; set; }

    /// <summary>RGB LED: off by default; GPIO22/23/24 (pins 15/16/18) are the documented choice.</summary>
    public int RgbRedPin { get; set; } = -1;

    public int RgbGreenPin { get; set; } = -1;

    public int RgbBluePin { get; set; } = -1;

    /// <summary>Common-anode RGB LEDs are active-low.</summary>
    public bool RgbActiveLow { get; set; }

    /// <summary>Board LEDs under /sys/class/leds to drive; names that do not exist are skipped.</summary>
    public List<string> BoardLeds { get; set; } = ["ACT", "led0"];

    /// <summary>Button: GPIO3 (header pin 5) to ground. On a Pi, GPIO3 to ground also wakes a halted board.</summary>
    public int ButtonPin { get; set; } = 3;

    public bool ButtonActiveLow { get; set; } = true;

    /// <summary>
    /// The button has its own pull resistor, so the pin is read as a plain input. Without it, a pin whose
    /// internal pull cannot be enabled is refused: a floating input reads random presses.
    /// </summary>
    public bool ButtonExternalPull { get; set; }

    public string ShutdownCommand { get; set; } = "systemctl poweroff";

    public string FactoryResetCommand { get; set; } = "/usr/lib/session-appliance/factory-reset";

    /// <summary>Where tools leave requests: an "identify" file (shown 30 s after it is touched) and "update-in-progress".</summary>
    public string RunDirectory { get; set; } = "/run/session-appliance";

    public TimeSpan IdentifyDuration { get; set; } = TimeSpan.FromSeconds(30);
}
