using System.Device.Gpio;

namespace SessionAppliance.Status.Button;

/// <summary>The raw level of the button, sampled on every tick.</summary>
public interface IButtonInput : IDisposable
{
    bool IsPressed { get; }
}

/// <summary>
/// A push button between a GPIO and ground with the internal pull-up (pressed reads low), or to 3.3 V with the
/// pull-down when active high. A pin whose pull cannot be enabled is refused unless the wiring has its own
/// resistor: it would float, read random presses, and a 3 s "press" shuts the board down.
/// </summary>
public sealed class GpioButton : IButtonInput
{
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly bool _activeLow;

    public GpioButton(GpioController gpio, int pin, bool activeLow, bool externalPull = false)
    {
        _gpio = gpio;
        _pin = pin;
        _activeLow = activeLow;
        var mode = externalPull ? PinMode.Input : activeLow ? PinMode.InputPullUp : PinMode.InputPullDown;
        if (!_gpio.IsPinModeSupported(pin, mode))
        {
            var (rail, pull) = activeLow ? ("3.3 V", "pull-up") : ("GND", "pull-down");
            throw new InvalidOperationException(
                $"GPIO{pin} cannot enable its internal {pull}, so the button would float and read random presses. " +
                $"Wire a 10 kΩ resistor from GPIO{pin} to {rail} and set Status:ButtonExternalPull=true, or move the button to a pin with an internal {pull}.");
        }

        _gpio.OpenPin(pin, mode);
    }

    public bool IsPressed => (_gpio.Read(_pin) == PinValue.High) ^ _activeLow;

    public void Dispose() => _gpio.ClosePin(_pin);
}
