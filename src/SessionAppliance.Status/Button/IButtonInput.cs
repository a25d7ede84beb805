using System.Device.Gpio;

namespace SessionAppliance.Status.Button;

/// <summary>The raw level of the button, sampled on every tick.</summary>
public interface IButtonInput : IDisposable
{
    bool IsPressed { get; }
}

/// <summary>A push button between a GPIO and ground, with the internal pull-up (pressed reads low).</summary>
public sealed class GpioButton : IButtonInput
{
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly bool _activeLow;

    public GpioButton(GpioController gpio, int pin, bool activeLow)
    {
        _gpio = gpio;
        _pin = pin;
        _activeLow = activeLow;
        var mode = activeLow ? PinMode.InputPullUp : PinMode.InputPullDown;
        _gpio.OpenPin(pin, _gpio.IsPinModeSupported(pin, mode) ? mode : PinMode.Input);
    }

    public bool IsPressed => (_gpio.Read(_pin) == PinValue.High) ^ _activeLow;

    public void Dispose() => _gpio.ClosePin(_pin);
}
