using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Leds;

/// <summary>
/// A board LED under /sys/class/leds (the Pi's ACT LED): its kernel trigger is set to "none" while we drive
/// it and restored afterwards. sysfs lives in memory, so this never writes to the SD card.
/// </summary>
public sealed class SysfsLed : ILedOutput
{
    private readonly string _directory;
    private readonly string? _originalTrigger;
    private readonly string _maxBrightness;
    private bool? _lit;

    public SysfsLed(string directory)
    {
        _directory = directory;
        _originalTrigger = CurrentTrigger(Path.Combine(directory, "trigger"));
        _maxBrightness = ReadOr(Path.Combine(directory, "max_brightness"), "1");
        WriteIfExists("trigger", "none");
    }

    public string Name => "board LED " + Path.GetFileName(_directory);

    public void Show(LedFrame frame)
    {
        if (_lit == frame.On)
        {
            return;
        }

        _lit = frame.On;
        File.WriteAllText(Path.Combine(_directory, "brightness"), frame.On ? _maxBrightness : "0");
    }

    public void Dispose()
    {
        if (_originalTrigger is not null)
        {
            WriteIfExists("trigger", _originalTrigger);
        }
    }

    /// <summary>The trigger file lists every trigger with the active one in brackets: "none [mmc0] timer".</summary>
    private static string? CurrentTrigger(string path)
    {
        var text = ReadOr(path, "");
        var start = text.IndexOf('[', StringComparison.Ordinal);
        var end = text.IndexOf(']', StringComparison.Ordinal);
        return start >= 0 && end > start ? text[(start + 1)..end] : null;
    }

    private static string ReadOr(string path, string fallback) => File.Exists(path) ? File.ReadAllText(path).Trim() : fallback;

    private void WriteIfExists(string file, string value)
    {
        var path = Path.Combine(_directory, file);
        if (File.Exists(path))
        {
            File.WriteAllText(path, value);
        }
    }
}
