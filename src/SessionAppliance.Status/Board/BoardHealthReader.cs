using System.Globalization;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Board;

/// <summary>
/// Reads the board's own health from sysfs and /run: CPU temperature, the firmware's throttling and
/// under-voltage flags, and whether systemd-timesyncd has synchronised the clock. A sensor the board does not
/// have reads as null (unknown), never as fine.
/// </summary>
public sealed class BoardHealthReader(string root = "/")
{
    // Raspberry Pi firmware flags (vcgencmd get_throttled): bit 0 under-voltage now, bits 1-3 capped/throttled/soft limit now.
    private const int UnderVoltageNow = 0x1;
    private const int ThrottledNow = 0x2 | 0x4 | 0x8;

    public BoardReport Read()
    {
        var flags = ReadThrottledFlags();
        return new BoardReport(
            ReadCpuCelsius(),
            flags is { } f ? (f & ThrottledNow) != 0 : null,
            flags is { } g ? (g & UnderVoltageNow) != 0 : ReadHwmonUnderVoltage(),
            ReadClockSynchronised());
    }

    private double? ReadCpuCelsius()
    {
        var text = ReadText("sys/class/thermal/thermal_zone0/temp");
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milli) ? milli / 1000.0 : null;
    }

    private int? ReadThrottledFlags()
    {
        var text = ReadText("sys/devices/platform/soc/soc:firmware/get_throttled");
        if (text is null)
        {
            return null;
        }

        text = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return int.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) ? flags : null;
    }

    /// <summary>Newer kernels report under-voltage through the rpi_volt hwmon device instead.</summary>
    private bool? ReadHwmonUnderVoltage()
    {
        var hwmon = Path.Combine(root, "sys/class/hwmon");
        if (!Directory.Exists(hwmon))
        {
            return null;
        }

        foreach (var device in Directory.EnumerateDirectories(hwmon))
        {
            if (ReadText(Path.Combine(device, "name")) == "rpi_volt")
            {
                return ReadText(Path.Combine(device, "in0_lcrit_alarm")) == "1";
            }
        }

        return null;
    }

    private bool? ReadClockSynchronised()
    {
        var timesync = Path.Combine(root, "run/systemd/timesync");
        return Directory.Exists(timesync) ? File.Exists(Path.Combine(timesync, "synchronized")) : null;
    }

    private string? ReadText(string relative)
    {
        var path = Path.IsPathRooted(relative) ? relative : Path.Combine(root, relative);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
