using System.Device.Gpio;
using Microsoft.Extensions.Logging;
using SessionAppliance.Status.Button;
using SessionAppliance.Status.Leds;

namespace SessionAppliance.Status.Hosting;

/// <summary>
/// Opens whatever indicators and button this board has. No GPIO at all (a PC, a container) is normal: it is
/// logged once and the board LEDs under /sys/class/leds are still used if there are any.
/// </summary>
public static partial class StatusHardware
{
    public static (List<ILedOutput> Outputs, IButtonInput? Button) Open(StatusOptions options, Func<GpioController?> openGpio, string sysClassLeds, ILogger logger)
    {
        var outputs = new List<ILedOutput>();
        IButtonInput? button = null;
        var gpio = openGpio();
        if (gpio is null)
        {
            LogNoGpio(logger);
        }
        else
        {
            if (options.LedPin >= 0)
            {
                outputs.Add(new GpioLed(gpio, options.LedPin, options.LedActiveLow));
            }

            if (options.RgbRedPin >= 0 && options.RgbGreenPin >= 0 && options.RgbBluePin >= 0)
            {
                outputs.Add(new RgbGpioLed(gpio, options.RgbRedPin, options.RgbGreenPin, options.RgbBluePin, options.RgbActiveLow));
            }

            if (options.ButtonPin >= 0)
            {
                button = new GpioButton(gpio, options.ButtonPin, options.ButtonActiveLow);
            }
        }

        foreach (var name in options.BoardLeds)
        {
            var directory = Path.Combine(sysClassLeds, name);
            if (Directory.Exists(directory))
            {
                outputs.Add(new SysfsLed(directory));
            }
        }

        LogOutputs(logger, outputs.Count == 0 ? "none" : string.Join(", ", outputs.Select(o => o.Name)), button is null ? "none" : $"GPIO{options.ButtonPin}");
        return (outputs, button);
    }

    /// <summary>The real GPIO controller, or null when the machine has none.</summary>
    public static GpioController? TryOpenGpio()
    {
        try
        {
            return new GpioController();
        }
        catch (Exception error) when (error is PlatformNotSupportedException or IOException or InvalidOperationException or UnauthorizedAccessException or DllNotFoundException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No GPIO on this machine: GPIO LEDs and the button are off; board LEDs are still used if present")]
    private static partial void LogNoGpio(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status outputs: {Outputs}; button: {Button}")]
    private static partial void LogOutputs(ILogger logger, string outputs, string button);
}
