using System.Device.Gpio;
using System.Device.Gpio.Drivers;
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
            if (options.LedPin >= 0 && TryOpen($"LED on GPIO{options.LedPin}", () => new GpioLed(gpio, options.LedPin, options.LedActiveLow), logger) is { } led)
            {
                outputs.Add(led);
            }

            if (options.RgbRedPin >= 0 && options.RgbGreenPin >= 0 && options.RgbBluePin >= 0
                && TryOpen($"RGB LED on GPIO{options.RgbRedPin}/{options.RgbGreenPin}/{options.RgbBluePin}", () => new RgbGpioLed(gpio, options.RgbRedPin, options.RgbGreenPin, options.RgbBluePin, options.RgbActiveLow), logger) is { } rgb)
            {
                outputs.Add(rgb);
            }

            if (options.ButtonPin >= 0)
            {
                button = TryOpen($"button on GPIO{options.ButtonPin}", () => new GpioButton(gpio, options.ButtonPin, options.ButtonActiveLow, options.ButtonExternalPull), logger);
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

    /// <summary>
    /// The real GPIO controller, or null when the machine has none. The first GPIO chip through libgpiod when there
    /// is one: the default driver picks, on a Pi, a register driver that needs <c>/dev/gpiomem</c> or <c>/dev/mem</c>,
    /// which Debian's kernel or the service's sandbox do not give it.
    /// </summary>
    public static GpioController? TryOpenGpio()
    {
        try
        {
            return File.Exists("/dev/gpiochip0") ? new GpioController(new LibGpiodDriver(0)) : new GpioController();
        }
        catch (Exception error) when (IsHardwareError(error))
        {
            return null;
        }
    }

    /// <summary>A pin this board's chip does not have, or cannot lend us, costs that one device, not the service.</summary>
    private static T? TryOpen<T>(string device, Func<T> open, ILogger logger)
        where T : class
    {
        try
        {
            return open();
        }
        catch (Exception error) when (IsHardwareError(error))
        {
            LogCannotOpen(logger, device, error.Message);
            return null;
        }
    }

    private static bool IsHardwareError(Exception error) =>
        error is PlatformNotSupportedException or NotSupportedException or IOException or InvalidOperationException
            or UnauthorizedAccessException or ArgumentException or DllNotFoundException or EntryPointNotFoundException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Device} cannot be opened ({Error}); it stays off. Check the pin numbers in the settings file")]
    private static partial void LogCannotOpen(ILogger logger, string device, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "No GPIO on this machine: GPIO LEDs and the button are off; board LEDs are still used if present")]
    private static partial void LogNoGpio(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status outputs: {Outputs}; button: {Button}")]
    private static partial void LogOutputs(ILogger logger, string outputs, string button);
}
