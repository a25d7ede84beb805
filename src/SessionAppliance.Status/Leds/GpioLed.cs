using System.Device.Gpio;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Leds;

/// <summary>A single LED on one GPIO (through a resistor to ground, or to 3.3 V when active-low).</summary>
public sealed class GpioLed : ILedOutput
{
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly bool _activeLow;
    private bool? _lit;

    public GpioLed(GpioController gpio, int pin, bool activeLow)
    {
        _gpio = gpio;
        _pin = pin;
        _activeLow = activeLow;
        _gpio.OpenPin(pin, PinMode.Output, activeLow ? PinValue.High : PinValue.Low);
    }

    public string Name => $"LED on GPIO{_pin}";

    public void Show(LedFrame frame)
    {
        if (_lit == frame.On)
        {
            return;
        }

        _lit = frame.On;
        _gpio.Write(_pin, frame.On ^ _activeLow ? PinValue.High : PinValue.Low);
    }

    public void Dispose()
    {
        _gpio.Write(_pin, _activeLow ? PinValue.High : PinValue.Low);
        _gpio.ClosePin(_pin);
    }
}
