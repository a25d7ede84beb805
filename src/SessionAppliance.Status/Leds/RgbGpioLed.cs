using System.Device.Gpio;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Leds;

/// <summary>
/// An RGB LED on three GPIOs. Each channel is switched on or off (a channel above half brightness is on),
/// which gives the seven colours the state table uses without needing PWM hardware.
/// </summary>
public sealed class RgbGpioLed : ILedOutput
{
    private readonly GpioController _gpio;
    private readonly int[] _pins;
    private readonly bool _activeLow;
    private LedFrame? _shown;

    /// <summary>Common cathode LEDs are active-high; common anode ones are active-low.</summary>
    public RgbGpioLed(GpioController gpio, int redPin, int greenPin, int bluePin, bool activeLow)
    {
        _gpio = gpio;
        _pins = [redPin, greenPin, bluePin];
        _activeLow = activeLow;
        foreach (var pin in _pins)
        {
            _gpio.OpenPin(pin, PinMode.Output, activeLow ? PinValue.High : PinValue.Low);
        }
    }

    public string Name => $"RGB LED on GPIO{_pins[0]}/{_pins[1]}/{_pins[2]}";

    public void Show(LedFrame frame)
    {
        if (_shown == frame)
        {
            return;
        }

        _shown = frame;
        byte[] channels = [frame.Color.R, frame.Color.G, frame.Color.B];
        for (var i = 0; i < 3; i++)
        {
            var lit = frame.On && channels[i] > 127;
            _gpio.Write(_pins[i], lit ^ _activeLow ? PinValue.High : PinValue.Low);
        }
    }

    public void Dispose()
    {
        foreach (var pin in _pins)
        {
            _gpio.Write(pin, _activeLow ? PinValue.High : PinValue.Low);
            _gpio.ClosePin(pin);
        }
    }
}
